/**
 * Splits a byte stream into lines of newline-delimited JSON text (empty lines are skipped).
 * Each chunk is scanned once, so a line of many megabytes costs linear time; a line longer than
 * `maxLineChars` throws before it is buffered whole.
 */
export async function* readNdjsonLines(body: AsyncIterable<Uint8Array>, maxLineChars: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pieces: string[] = [];
  let length = 0;
  const take = (): string => {
    const line = pieces.join('').trim();
    pieces = [];
    length = 0;
    return line;
  };
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      pieces.push(text.slice(start, newline));
      const line = take();
      if (line !== '') yield line;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      pieces.push(text.slice(start));
      length += text.length - start;
      if (length > maxLineChars) throw new LineTooLongError(maxLineChars);
    }
  }
  pieces.push(decoder.decode());
  const last = take();
  if (last !== '') yield last;
}

/** A line of the stream exceeded its cap. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  constructor(readonly maxLineChars: number) {
    super(`A line of the stream is longer than ${maxLineChars} characters.`);
  }
}
