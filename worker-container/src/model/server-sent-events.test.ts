import { describe, expect, it } from 'vitest';
import { parseServerSentEvents, type ServerSentEvent } from './server-sent-events';
import { asyncIterableOf } from './testing/sample-request';

async function parse(...pieces: string[]): Promise<ServerSentEvent[]> {
  const body = asyncIterableOf(pieces.map((piece) => new TextEncoder().encode(piece)));
  const events: ServerSentEvent[] = [];
  for await (const event of parseServerSentEvents(body)) events.push(event);
  return events;
}

describe('parseServerSentEvents', () => {
  it('joins data lines, reads event names, skips comments, across arbitrary chunk boundaries', async () => {
    const text = ': keep-alive\r\nevent: message_start\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata:x\n\n';
    const expected = [
      { event: 'message_start', data: '{"a":\n1}' },
      { event: undefined, data: 'x' },
    ];
    expect(await parse(text)).toEqual(expected);
    for (let split = 1; split < text.length; split++) {
      expect(await parse(text.slice(0, split), text.slice(split))).toEqual(expected);
    }
  });

  it('decodes multi-byte characters split between chunks, and delivers a last event without a blank line', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓');
    const body = asyncIterableOf(Array.from(bytes, (byte) => Uint8Array.of(byte)));
    const events: ServerSentEvent[] = [];
    for await (const event of parseServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: undefined, data: 'héllo ✓' }]);
  });
});
