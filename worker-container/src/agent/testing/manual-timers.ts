import { abortReason, type LoopTimers } from '../loop-timers';

interface PendingSleep {
  ms: number;
  resolve: () => void;
}

/**
 * Timers that only move when a test says so: every `sleep` stays pending until `fire` resolves
 * it. `nextSleep` is the sentinel a test waits on ("the loop is now waiting 2 s"), so nothing
 * depends on how fast the machine is. Aborted sleeps reject at once, like real ones.
 */
export class ManualTimers implements LoopTimers {
  readonly requested: number[] = [];
  #pending: PendingSleep[] = [];
  #waiters: { match: (ms: number) => boolean; resolve: (sleep: PendingSleep) => void }[] = [];

  constructor(private readonly randomValue = 0.5) {}

  random(): number {
    return this.randomValue;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      const sleep: PendingSleep = {
        ms,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#pending = this.#pending.filter((pending) => pending !== sleep);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.requested.push(ms);
      const waiter = this.#waiters.find((candidate) => candidate.match(ms));
      if (waiter) {
        this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
        this.#pending.push(sleep);
        waiter.resolve(sleep);
      } else this.#pending.push(sleep);
    });
  }

  /** Waits until a sleep (of `ms`, if given) is pending, and answers its duration. */
  async nextSleep(ms?: number): Promise<number> {
    const match = (candidate: number) => ms === undefined || candidate === ms;
    const pending = this.#pending.find((sleep) => match(sleep.ms));
    if (pending) return pending.ms;
    const sleep = await new Promise<PendingSleep>((resolve) => this.#waiters.push({ match, resolve }));
    return sleep.ms;
  }

  /** Ends the oldest pending sleep of `ms` (waiting for one if none is pending yet). */
  async fire(ms: number): Promise<void> {
    await this.nextSleep(ms);
    const sleep = this.#pending.find((pending) => pending.ms === ms);
    if (!sleep) throw new Error(`no pending sleep of ${ms} ms`);
    this.#pending = this.#pending.filter((pending) => pending !== sleep);
    sleep.resolve();
  }
}
