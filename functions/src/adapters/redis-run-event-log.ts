import { RunEventBody } from '@hangar/protocol';
import { Redis } from 'ioredis';
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

export interface RedisRunEventLogOptions {
  /** A connected client; the log leaves it open on close(). One of `client` or `url` is required. */
  client?: Redis;
  /** `redis://` or `rediss://` URL; the log owns this connection and closes it. */
  url?: string;
  /** Approximate cap per run (`XADD MAXLEN ~`); default 10,000. Reads of trimmed ids start at the oldest kept. */
  maxLength?: number;
  /** How long one blocking read waits before it is reissued; default 10,000 ms. Keep it below any `commandTimeout`. */
  blockMs?: number;
  /** A run's stream expires this long after its last append; default 7 days. */
  ttlSeconds?: number;
  /** Where skipped (corrupt) entries are reported; default console.warn. */
  log?: (message: string) => void;
}

/** Redis stream ids: `<ms>-<seq>`, both unsigned 64-bit. */
const idPattern = /^(\d{1,20})-(\d{1,20})$/;
const maxPart = 2n ** 64n - 1n;
const maxId = `${maxPart}-${maxPart}`;
/** Entries fetched per XRANGE / XREAD round trip while streaming. */
const batchSize = 500;

function parseId(id: string): [bigint, bigint] {
  const match = idPattern.exec(id);
  if (!match) throw new InvalidEventIdError(id);
  const parts: [bigint, bigint] = [BigInt(match[1] ?? ''), BigInt(match[2] ?? '')];
  if (parts[0] > maxPart || parts[1] > maxPart) throw new InvalidEventIdError(id);
  return parts;
}

function compareIds(a: string, b: string): number {
  const [[aMs, aSeq], [bMs, bSeq]] = [parseId(a), parseId(b)];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

/** One run is one stream; the braces are a hash tag, so a run's key lives in one cluster slot. */
function keyOf(runId: string): string {
  if (!runId || runId.length > 256 || /[{}]/.test(runId))
    throw new TypeError(`invalid run id for the event log: ${JSON.stringify(runId.slice(0, 80))}`);
  return `hangar:run:{${runId}}`;
}

/** An event's time is its stream id's millisecond part: Redis assigns both at once. */
const timeOf = (id: string) => new Date(Number(id.slice(0, id.indexOf('-')))).toISOString();

type StreamEntry = [id: string, fields: string[]];

/** Run event streams in Redis (ElastiCache): resumable and replayable by stream id. */
export function createRedisRunEventLog(options: RedisRunEventLogOptions): RunEventLog {
  if (!options.client && !options.url) throw new TypeError('createRedisRunEventLog needs a client or a url');
  const ownsClient = !options.client;
  const client = options.client ?? new Redis(options.url ?? '');
  const maxLength = options.maxLength ?? 10_000;
  const blockMs = options.blockMs ?? 10_000;
  const ttlSeconds = options.ttlSeconds ?? 7 * 24 * 60 * 60;
  const report = options.log ?? ((message: string) => console.warn(`[redis-run-event-log] ${message}`));
  const subscriptions = new Set<RunEventSubscription>();
  let closed = false;

  /** Validates an entry; corrupt entries are reported (without their payload) and skipped. */
  const decode = (runId: string, [id, fields]: StreamEntry): StoredRunEvent | null => {
    const index = fields.indexOf('e');
    const json = index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
    let reason: string;
    if (json === undefined) {
      reason = 'no "e" field';
    } else {
      try {
        const parsed = RunEventBody.safeParse(JSON.parse(json));
        if (parsed.success) return { id, runId, time: timeOf(id), event: parsed.data };
        reason = `not a run event (${parsed.error.issues.map((issue) => issue.path.join('.') || issue.code).join(', ')})`;
      } catch {
        reason = 'not JSON';
      }
    }
    report(`skipped corrupt entry ${id} of run ${runId}: ${reason}`);
    return null;
  };

  /** Up to `limit` valid events after `after`; `lastId` is the last entry seen, valid or not. */
  const readRange = async (runId: string, after: string | undefined, limit: number) => {
    const key = keyOf(runId);
    const events: StoredRunEvent[] = [];
    let lastId = after;
    while (events.length < limit && lastId !== maxId) {
      const wanted = limit - events.length;
      const entries = (await client.xrange(key, lastId === undefined ? '-' : `(${lastId}`, '+', 'COUNT', wanted)) as StreamEntry[];
      for (const entry of entries) {
        lastId = entry[0];
        const event = decode(runId, entry);
        if (event) events.push(event);
      }
      if (entries.length < wanted) return { events, lastId, exhausted: true };
    }
    return { events, lastId, exhausted: lastId === maxId };
  };

  return {
    kind: 'redis',

    async append(runId: string, event: RunEventBody): Promise<StoredRunEvent> {
      if (closed) throw new Error('run event log is closed');
      const key = keyOf(runId);
      const body = RunEventBody.parse(event);
      const results = await client
        .multi()
        .xadd(key, 'MAXLEN', '~', maxLength, '*', 'e', JSON.stringify(body))
        .expire(key, ttlSeconds)
        .exec();
      const [added, expired] = results ?? [];
      const error = added?.[0] ?? expired?.[0] ?? (results ? null : new Error('XADD transaction was aborted'));
      if (error) throw error;
      const id = added?.[1];
      if (typeof id !== 'string') throw new Error('XADD returned no id');
      return { id, runId, time: timeOf(id), event: body };
    },

    async read(runId: string, readOptions: ReadOptions = {}): Promise<StoredRunEvent[]> {
      if (readOptions.after !== undefined) parseId(readOptions.after);
      const limit = readOptions.limit ?? defaultReadLimit;
      if (!Number.isInteger(limit) || limit < 0) throw new RangeError('limit must be a non-negative integer');
      return (await readRange(runId, readOptions.after, limit)).events;
    },

    subscribe(runId: string, subscribeOptions: SubscribeOptions = {}): RunEventSubscription {
      let lastId: string | undefined;
      let started = false;
      let live = false;
      let reader: Redis | null = null;
      let ended = false;

      const pull = async (): Promise<StoredRunEvent[]> => {
        if (!started) {
          if (subscribeOptions.after !== undefined) parseId(subscribeOptions.after);
          lastId = subscribeOptions.after;
          started = true;
        }
        if (closed) {
          await subscription.close();
          return [];
        }
        if (!live) {
          // The backlog comes over the shared command connection...
          const backlog = await readRange(runId, lastId, batchSize);
          lastId = backlog.lastId;
          live = backlog.exhausted;
          return backlog.events;
        }
        // ...then blocking reads from `lastId` on this subscription's own connection: XREAD answers
        // everything after it, including entries added since the backlog was read (never "$").
        if (ended) return [];
        if (!reader) {
          reader = client.duplicate();
          reader.on('error', () => undefined); // failures surface as rejected commands
        }
        const reply = await reader.xread('COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', keyOf(runId), lastId ?? '0-0');
        const events: StoredRunEvent[] = [];
        for (const entry of reply?.[0]?.[1] ?? []) {
          lastId = entry[0];
          const event = decode(runId, entry);
          if (event) events.push(event);
        }
        return events;
      };

      const subscription = pullSubscription(pull, () => {
        ended = true;
        subscriptions.delete(subscription);
        // Cuts a pending XREAD BLOCK short; the subscription treats its rejection as the end.
        reader?.disconnect();
        return Promise.resolve();
      });
      subscriptions.add(subscription);
      return subscription;
    },

    compareIds,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      if (ownsClient) await client.quit();
    },
  };
}
