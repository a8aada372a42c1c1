import { describe, expect, it } from 'vitest';
import { LineTooLongError, readNdjsonLines } from './ndjson-lines';
import { asyncIterableOf } from './testing/sample-request';

const bytes = (...parts: string[]) => asyncIterableOf(parts.map((part) => new TextEncoder().encode(part)));

async function lines(body: AsyncIterable<Uint8Array>, max = 1000): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readNdjsonLines(body, max)) out.push(line);
  return out;
}

describe('readNdjsonLines', () => {
  it('splits lines across chunk boundaries, skips empty lines and keeps a last line without newline', async () => {
    expect(await lines(bytes('{"a":', '1}\n\n{"b"', ':2}\n{"c":3}'))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const encoded = new TextEncoder().encode('{"t":"é"}\n');
    const body = asyncIterableOf([encoded.slice(0, 7), encoded.slice(7)]);
    expect(await lines(body)).toEqual(['{"t":"é"}']);
  });

  it('reads a line of many megabytes in chunks, and refuses one over the cap', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const big = Array.from({ length: 160 }, () => chunk);
    const [line] = await lines(bytes('"', ...big, '"\n'), 20 * 1024 * 1024);
    expect(line?.length).toBe(160 * 64 * 1024 + 2);
    await expect(lines(bytes(...big), 1024 * 1024)).rejects.toBeInstanceOf(LineTooLongError);
  });
});
