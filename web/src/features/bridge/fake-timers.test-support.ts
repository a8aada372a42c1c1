import type { Timers } from './change-batcher';

/** A manual clock for tests: nothing runs until `advance` passes its time (microtasks first). */
export class FakeTimers implements Timers {
  private time = 1_000;
  private nextHandle = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private readonly microtasks: (() => void)[] = [];

  now = () => this.time;

  setTimeout = (callback: () => void, delayMs: number) => {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.time + delayMs, callback });
    return handle;
  };

  clearTimeout = (handle: unknown) => {
    this.pending.delete(handle as number);
  };

  queueMicrotask = (callback: () => void) => {
    this.microtasks.push(callback);
  };

  get scheduled(): number {
    return this.pending.size;
  }

  /** Runs queued microtasks (and any they queue), as the end of a task would. */
  runMicrotasks() {
    for (let task = this.microtasks.shift(); task; task = this.microtasks.shift()) task();
  }

  advance(ms: number) {
    this.runMicrotasks();
    const until = this.time + ms;
    for (;;) {
      const due = [...this.pending].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
      this.runMicrotasks();
    }
    this.time = until;
  }
}
