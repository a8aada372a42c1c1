import { RunEventBody } from '@hangar/protocol';
import { systemClock, type Clock } from '../ports/clock';
import {
  defaultReadLimit,
  InvalidEventIdError,
  pullSubscription,
  type ReadOptions,
  type RunEventLog,
  type RunEventSubscription,
  type StoredRunEvent,
  type SubscribeOptions,
} from '../ports/run-event-log';

export interface MemoryRunEventLogOptions {
  /**
   * Each run keeps its newest `maxEventsPerRun` events (default 10,000); older ones are dropped.
   * A read or subscription whose `after` is older than the oldest retained event starts at the
   * oldest retained event (the caller sees a gap it can detect by comparing ids, not an error).
   */
  maxEventsPerRun?: number;
  clock?: Clock;
}

/** Ids are zero-padded decimal sequence numbers, so string order equals numeric order. */
const idDigits = 12;
const idPattern = /^\d{1,15}$/;

const formatId = (sequence: number) => String(sequence).padStart(idDigits, '0');

function parseId(id: string): number {
  if (!idPattern.test(id)) throw new InvalidEventIdError(id);
  return Number(id);
}

/** Runs `work` now; its result or exception becomes the promise's outcome. */
const settle = <T>(work: () => T) => new Promise<T>((resolve) => resolve(work()));

interface RunLog {
  /** Oldest first; sequence numbers are contiguous, so an event's index is `sequence - first`. */
  events: StoredRunEvent[];
  /** Sequence number of `events[0]` (or of the next event, when empty). */
  first: number;
  /** Wakes subscribers that are waiting for this run's next append. */
  waiters: Set<() => void>;
}

/** The embedded run event log: per-run arrays in this process, lost on restart. */
export function createMemoryRunEventLog(options: MemoryRunEventLogOptions = {}): RunEventLog {
  const maxEventsPerRun = options.maxEventsPerRun ?? 10_000;
  if (!Number.isInteger(maxEventsPerRun) || maxEventsPerRun < 1) throw new RangeError('maxEventsPerRun must be a positive integer');
  const clock = options.clock ?? systemClock;
  const runs = new Map<string, RunLog>();
  const subscriptions = new Set<RunEventSubscription>();
  let closed = false;

  const runLog = (runId: string): RunLog => {
    let log = runs.get(runId);
    if (!log) {
      log = { events: [], first: 1, waiters: new Set() };
      runs.set(runId, log);
    }
    return log;
  };

  /** Copies of the events after sequence `after`, at most `limit`. */
  const eventsAfter = (runId: string, after: number, limit: number): StoredRunEvent[] => {
    const log = runs.get(runId);
    if (!log) return [];
    const start = Math.max(0, after - log.first + 1);
    return structuredClone(log.events.slice(start, start + limit));
  };

  return {
    kind: 'memory',

    append(runId: string, event: RunEventBody): Promise<StoredRunEvent> {
      return settle(() => {
        if (closed) throw new Error('run event log is closed');
        const body = RunEventBody.parse(event);
        const log = runLog(runId);
        const stored: StoredRunEvent = { id: formatId(log.first + log.events.length), runId, time: clock.now().toISOString(), event: body };
        log.events.push(stored);
        if (log.events.length > maxEventsPerRun) {
          log.events.shift();
          log.first += 1;
        }
        const waiters = [...log.waiters];
        log.waiters.clear();
        for (const wake of waiters) wake();
        return structuredClone(stored);
      });
    },

    read(runId: string, readOptions: ReadOptions = {}): Promise<StoredRunEvent[]> {
      return settle(() => {
        const after = readOptions.after === undefined ? 0 : parseId(readOptions.after);
        const limit = readOptions.limit ?? defaultReadLimit;
        if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
        return eventsAfter(runId, after, limit);
      });
    },

    subscribe(runId: string, subscribeOptions: SubscribeOptions = {}): RunEventSubscription {
      let cursor: number | null = null;
      let wake: (() => void) | null = null;
      const pull = async (): Promise<StoredRunEvent[]> => {
        cursor ??= subscribeOptions.after === undefined ? 0 : parseId(subscribeOptions.after);
        const batch = eventsAfter(runId, cursor, 500);
        const last = batch.at(-1);
        if (last) {
          cursor = Number(last.id);
          return batch;
        }
        if (closed) {
          await subscription.close();
          return [];
        }
        // Nothing new: wait for the next append to this run (or for close()).
        await new Promise<void>((resolve) => {
          wake = resolve;
          runLog(runId).waiters.add(resolve);
        });
        wake = null;
        return [];
      };
      const subscription = pullSubscription(pull, () => {
        subscriptions.delete(subscription);
        const log = runs.get(runId);
        if (wake) {
          log?.waiters.delete(wake);
          wake();
        }
        if (log && log.events.length === 0 && log.waiters.size === 0) runs.delete(runId);
        return Promise.resolve();
      });
      subscriptions.add(subscription);
      return subscription;
    },

    compareIds(a: string, b: string): number {
      return parseId(a) - parseId(b);
    },

    async close(): Promise<void> {
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    },
  };
}
