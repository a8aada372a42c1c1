/**
 * Reads a fetch body chunk by chunk through its reader, which works with the Node and the DOM
 * typings of `ReadableStream` alike (only Node's is async-iterable). Ending early releases the
 * reader and cancels the body.
 */
export async function* streamChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
