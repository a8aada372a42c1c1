import type { DataChange } from '@hangar/protocol';

/** Timers, a microtask queue and a clock, injected so the batching is testable without a browser. */
export type Timers = {
  now: () => number;
  setTimeout: (callback: () => void, delayMs: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  queueMicrotask: (callback: () => void) => void;
};

export const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
  queueMicrotask: (callback) => globalThis.queueMicrotask(callback),
};

/** The window in which flushes are counted, and the batching interval once the budget is spent. */
export const changeFlushIntervalMs = 50;
/** Flushes allowed per window before changes wait: below it, every change goes out at once. */
export const immediateFlushesPerInterval = 4;
export const maxChangesPerMessage = 500;

/**
 * Buffers live changes per collection and hands them on to the iframe, adapting to load:
 *
 *   idle ── push ──▶ flush at the end of this task (a microtask: changes of one frame stay together)
 *   busy (≥ 4 flushes in the last 50 ms) ── push ──▶ wait for the window to free up, then flush
 *                                                     everything buffered in batches of ≤ 500
 *
 * So one change after another at a human pace costs no delay, and a flood of writes becomes at
 * most 80 messages a second for the app to render.
 */
export class ChangeBatcher {
  private readonly buffers = new Map<string, DataChange[]>();
  private scheduled: 'microtask' | 'timer' | null = null;
  private timer: unknown = undefined;
  /** Times of the most recent flushes, oldest first (at most `flushBudget`). */
  private readonly recentFlushes: number[] = [];
  /** Bumped by `clear()`, so a microtask queued before it does nothing. */
  private generation = 0;

  constructor(
    private readonly deliver: (collection: string, changes: DataChange[]) => void,
    private readonly timers: Timers = browserTimers,
    private readonly intervalMs = changeFlushIntervalMs,
    private readonly maxBatch = maxChangesPerMessage,
    private readonly flushBudget = immediateFlushesPerInterval,
  ) {}

  push(collection: string, change: DataChange) {
    const buffer = this.buffers.get(collection);
    if (buffer) buffer.push(change);
    else this.buffers.set(collection, [change]);
    if (this.scheduled !== null) return;
    const now = this.timers.now();
    while (this.recentFlushes.length > 0 && (this.recentFlushes[0] ?? 0) <= now - this.intervalMs) this.recentFlushes.shift();
    if (this.recentFlushes.length < this.flushBudget) {
      this.scheduled = 'microtask';
      const generation = this.generation;
      this.timers.queueMicrotask(() => {
        if (generation !== this.generation || this.scheduled !== 'microtask') return;
        this.scheduled = null;
        this.flush();
      });
      return;
    }
    // Under load: the next flush is due when the oldest counted one leaves the window.
    this.scheduled = 'timer';
    const delay = Math.max(0, (this.recentFlushes[0] ?? now) + this.intervalMs - now);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.scheduled = null;
      this.flush();
    }, delay);
  }

  /** Sends everything buffered now, in batches of at most `maxBatch`. */
  flush() {
    if (this.buffers.size === 0) return;
    this.recentFlushes.push(this.timers.now());
    if (this.recentFlushes.length > this.flushBudget) this.recentFlushes.shift();
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
    this.scheduled = null;
    this.generation += 1;
  }
}
