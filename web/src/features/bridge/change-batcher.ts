import type { DataChange } from '@hangar/protocol';

/** Timers and a clock, injected so the batching is testable without a browser. */
export type Timers = {
  now: () => number;
  setTimeout: (callback: () => void, delayMs: number) => unknown;
  clearTimeout: (handle: unknown) => void;
};

export const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
};

export const changeFlushIntervalMs = 50;
export const maxChangesPerMessage = 500;

/**
 * Buffers live changes per collection and hands them on in batches: at most one flush every
 * 50 ms and at most 500 changes per batch, so a burst of writes becomes a few messages.
 * A single change after a quiet period is flushed on the next tick, without waiting.
 */
export class ChangeBatcher {
  private readonly buffers = new Map<string, DataChange[]>();
  private timer: unknown = undefined;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deliver: (collection: string, changes: DataChange[]) => void,
    private readonly timers: Timers = browserTimers,
    private readonly intervalMs = changeFlushIntervalMs,
    private readonly maxBatch = maxChangesPerMessage,
  ) {}

  push(collection: string, change: DataChange) {
    const buffer = this.buffers.get(collection);
    if (buffer) buffer.push(change);
    else this.buffers.set(collection, [change]);
    if (this.timer !== undefined) return;
    const delay = Math.max(0, this.lastFlushAt + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  /** Sends everything buffered now, in batches of at most `maxBatch`. */
  flush() {
    this.lastFlushAt = this.timers.now();
    const pending = [...this.buffers];
    this.buffers.clear();
    for (const [collection, changes] of pending) {
      for (let start = 0; start < changes.length; start += this.maxBatch) {
        this.deliver(collection, changes.slice(start, start + this.maxBatch));
      }
    }
  }

  /** Forgets a collection's buffered changes (a resync replaces them). */
  drop(collection: string) {
    this.buffers.delete(collection);
  }

  get pending(): number {
    let count = 0;
    for (const changes of this.buffers.values()) count += changes.length;
    return count;
  }

  clear() {
    this.buffers.clear();
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
