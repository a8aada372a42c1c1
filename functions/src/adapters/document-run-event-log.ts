import { RunEventBody } from '@hangar/protocol';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';
import type { Clock } from '../ports/clock';
import { systemClock } from '../ports/clock';
import {
  defaultReadLimit,
  InvalidEventIdError,
  pullSubscription,
  type RunEventLog,
  type RunEventSubscription,
  type StoredRunEvent,
} from '../ports/run-event-log';

interface RunEventRecord extends StoredDocument {
  runId: string;
  seq: number;
  time: string;
  event: RunEventBody;
}

const collection = 'run_events';
const pad = (seq: number) => String(seq).padStart(12, '0');
const idPattern = /^\d{12}$/;

function parseId(id: string): number {
  if (!idPattern.test(id)) throw new InvalidEventIdError(id);
  return Number(id);
}

/**
 * The durable embedded run event log: events are documents in the document store (SQLite
 * locally), keyed `<runId>:<seq>` so primary-key order is event order, and live delivery rides
 * on the store's change feed. Chat history survives a restart of the local host.
 */
export function createDocumentRunEventLog(
  store: DocumentStore,
  options: { clock?: Clock } = {},
): RunEventLog & { ensureIndexes(): Promise<void> } {
  const clock = options.clock ?? systemClock;
  const events = () => store.collection<RunEventRecord>(collection);
  const lastSeq = new Map<string, number>();
  const subscriptions = new Set<RunEventSubscription>();

  const toStored = (record: RunEventRecord): StoredRunEvent => ({
    id: pad(record.seq),
    runId: record.runId,
    time: record.time,
    event: record.event,
  });

  async function read(runId: string, options: { after?: string; limit?: number } = {}): Promise<StoredRunEvent[]> {
    const after = options.after === undefined ? 0 : parseId(options.after);
    const limit = options.limit ?? defaultReadLimit;
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
    const page = await events().find({ runId, _id: { $gt: `${runId}:${pad(after)}`, $lt: `${runId}:~` } }, { limit });
    return page.items.map(toStored);
  }

  return {
    kind: 'document',
    async ensureIndexes() {
      await events().createIndex({ keys: { runId: 1 } });
    },
    async append(runId, body) {
      const event = RunEventBody.parse(body);
      for (let attempt = 0; ; attempt++) {
        let seq = lastSeq.get(runId);
        if (seq === undefined || attempt > 0) {
          const latest = await events().find({ runId }, { sort: { _id: -1 }, limit: 1 });
          seq = latest.items[0]?.seq ?? 0;
        }
        const record: RunEventRecord = { _id: `${runId}:${pad(seq + 1)}`, runId, seq: seq + 1, time: clock.now().toISOString(), event };
        try {
          await events().insertOne(record);
          lastSeq.set(runId, seq + 1);
          return toStored(structuredClone(record));
        } catch (error) {
          if (!(error instanceof DuplicateKeyError) || attempt >= 5) throw error;
        }
      }
    },
    read,
    subscribe(runId, subscribeOptions = {}) {
      let last = subscribeOptions.after;
      // The feed is opened before the first read, so nothing appended in between is missed.
      const feed = store.watch({ collections: [collection] });
      const changes = feed[Symbol.asyncIterator]();
      const subscription = pullSubscription(
        async () => {
          for (;;) {
            const batch = await read(runId, last === undefined ? {} : { after: last });
            if (batch.length > 0) {
              last = batch[batch.length - 1]?.id;
              return batch;
            }
            // Wait for the next change to this run (or the end of the feed).
            for (;;) {
              const change = await changes.next();
              if (change.done) return [];
              if (change.value.operation === 'insert' && change.value.documentId.startsWith(`${runId}:`)) break;
            }
          }
        },
        async () => {
          subscriptions.delete(subscription);
          await feed.close();
        },
      );
      subscriptions.add(subscription);
      return subscription;
    },
    compareIds(a, b) {
      return parseId(a) - parseId(b);
    },
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
    },
  };
}
