/**
 * Time for the agent loop, injected so tests never wait in real time: `sleep` backs the retry
 * waits and the silent-stream watchdog, `random` the jitter.
 */
export interface LoopTimers {
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

/** Real timers. */
export const systemTimers: LoopTimers = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  random: Math.random,
};

/** The rejection of an aborted sleep: always an Error, the signal's reason as its cause. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The wait was aborted.', { cause: signal.reason });
}
