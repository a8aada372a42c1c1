/**
 * Splits a byte stream into lines of newline-delimited JSON text (empty lines are skipped).
 * A line longer than `maxLineBytes` throws before it is buffered whole.
 */
export async function* readNdjsonLines(body: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield line;
      newline = buffer.indexOf('\n');
    }
    // Characters, not bytes: a cheap upper bound check that never under-counts by more than 4x.
    if (buffer.length > maxLineBytes) throw new LineTooLongError(maxLineBytes);
  }
  buffer += decoder.decode();
  if (buffer.trim() !== '') yield buffer.trim();
}

/** A line of the stream exceeded its cap. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  constructor(readonly maxLineBytes: number) {
    super(`A line of the stream is longer than ${maxLineBytes} bytes.`);
  }
}
