export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/** Parses a `text/event-stream` body into events (WHATWG rules: `data:` lines join, `:` lines are comments). */
export async function* parseServerSentEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];

  function* takeLines(final: boolean): Generator<ServerSentEvent> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A lone trailing \r may be the first half of \r\n: wait for more input.
      if (!match || (match[0] === '\r' && match.index === buffer.length - 1 && !final)) return;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (data.length > 0) yield { event, data: data.join('\n') };
        event = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  }

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    yield* takeLines(false);
  }
  buffer += decoder.decode();
  if (buffer !== '') buffer += '\n';
  yield* takeLines(true);
  // A stream that ends without a blank line still delivers its last event.
  if (data.length > 0) yield { event, data: data.join('\n') };
}
