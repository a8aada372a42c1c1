/**
 * The run event log port: an append-only, per-run stream of `RunEventBody`s that browsers and
 * the control plane read, and resume from the last event id they saw.
 * Adapters: memory (embedded default) and Redis streams (ElastiCache).
 * Every adapter passes `run-event-log.contract.ts`.
 */
import type { RunEventBody } from '@hangar/protocol';

/** A stored run event; the same shape as protocol's `RunEvent`. */
export interface StoredRunEvent {
  id: string;
  runId: string;
  time: string;
  event: RunEventBody;
}

/** A live subscription to one run; iterate it, close it when done. */
export interface RunEventSubscription extends AsyncIterable<StoredRunEvent> {
  /** Ends iteration: a pending `next()` resolves `done`, and resources (connections) are released. */
  close(): Promise<void>;
}

export interface ReadOptions {
  /** Only events after this id (exclusive); all retained events when absent. */
  after?: string;
  /** At most this many events; default `defaultReadLimit`. */
  limit?: number;
}

export interface SubscribeOptions {
  /** Resume after this id (exclusive); from the oldest retained event when absent. */
  after?: string;
}

export interface RunEventLog {
  /** Adapter name for health output, e.g. `memory` or `redis`. */
  readonly kind: string;
  /** Appends one event; returns it with its id. Ids are opaque strings, strictly increasing within a run. */
  append(runId: string, event: RunEventBody): Promise<StoredRunEvent>;
  /**
   * Events after `after` (exclusive; all when absent), oldest first, at most `limit` (default 1000).
   * When `after` is older than what the log retains, reading starts at the oldest retained event.
   * Rejects with `InvalidEventIdError` when `after` is malformed.
   */
  read(runId: string, options?: ReadOptions): Promise<StoredRunEvent[]>;
  /**
   * Backlog after `after`, then live events as they are appended, with nothing lost or duplicated
   * across the switch. A malformed `after` makes the first `next()` reject with `InvalidEventIdError`.
   */
  subscribe(runId: string, options?: SubscribeOptions): RunEventSubscription;
  /** Compares two ids of one run: negative, 0, positive. Throws `InvalidEventIdError` on a malformed id. */
  compareIds(a: string, b: string): number;
  /** Ends every open subscription and releases connections the log owns. */
  close(): Promise<void>;
}

export const defaultReadLimit = 1000;

/** Thrown when an event id (`after`, or an argument of `compareIds`) is not an id of this log. */
export class InvalidEventIdError extends Error {
  constructor(readonly eventId: string) {
    super(`invalid run event id: ${JSON.stringify(eventId.slice(0, 80))}`);
    this.name = 'InvalidEventIdError';
  }
}

/**
 * Builds a `RunEventSubscription` from an adapter's `pull`, which returns the next batch after
 * the adapter's own cursor (waiting for one if need be; an empty batch just means "ask again"),
 * and `release`, which interrupts a pending pull and frees resources.
 * Pulls are serialized, so concurrent `next()` calls never reorder or repeat events.
 */
export function pullSubscription(pull: () => Promise<StoredRunEvent[]>, release: () => Promise<void>): RunEventSubscription {
  const buffer: StoredRunEvent[] = [];
  let closed = false;
  let closing: Promise<void> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const take = async (): Promise<IteratorResult<StoredRunEvent>> => {
    for (;;) {
      if (closed) return { done: true, value: undefined };
      const event = buffer.shift();
      if (event) return { done: false, value: event };
      try {
        buffer.push(...(await pull()));
      } catch (error) {
        // A pull interrupted by close() fails (e.g. its connection was cut): that is the end, not an error.
        if (closed) return { done: true, value: undefined };
        throw error;
      }
    }
  };
  const close = (): Promise<void> => {
    if (!closing) {
      closed = true;
      buffer.length = 0;
      closing = release();
    }
    return closing;
  };
  const next = (): Promise<IteratorResult<StoredRunEvent>> => {
    const result = queue.then(take);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    close,
    [Symbol.asyncIterator]: () => ({
      next,
      return: async () => {
        await close();
        return { done: true, value: undefined };
      },
    }),
  };
}
