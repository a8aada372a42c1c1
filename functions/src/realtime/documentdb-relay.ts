import type { DataChange, DataScopeKey, ServerMessage } from '@hangar/protocol';
import { BSON } from 'mongodb';
import { toPlainJson } from '../adapters/mongo-document-store';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { ConnectionRegistry } from '../ports/connection-registry';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';
import { subscriptionKey, type DataRelayOptions } from './data-relay';
import { fanOut, type FanOutDelivery } from './bounded-fan-out';
import type { PushDeliveryOptions } from './push-delivery';

/** Subscribers pushed to at once per change: well inside the PostToConnection rate (SCALING.md). */
const defaultFanOutConcurrency = 32;

/** The event a DocumentDB change stream event source mapping hands to Lambda. */
export interface DocumentDbChangeEvent {
  eventSource: 'aws:docdb';
  eventSourceArn: string;
  events: {
    event: {
      _id: { _data: string };
      operationType: string;
      ns: { db: string; coll: string };
      documentKey: { _id: unknown };
      fullDocument?: Record<string, unknown>;
    };
  }[];
}

/** Thrown when a batch could not be relayed; Lambda then retries the whole batch, in order. */
export class RelayBatchFailedError extends Error {
  constructor(
    readonly failedToken: string,
    options: { cause: unknown },
  ) {
    super(
      `relaying change ${failedToken} failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`,
      options,
    );
    this.name = 'RelayBatchFailedError';
  }
}

interface SequenceRecord extends StoredDocument {
  seq: number;
}

/** Sequence numbers of the Lambda relay are durable, so every container shares one epoch. */
export const documentDbRelayEpoch = 'docdb';

/**
 * The relay as a Lambda handler for DocumentDB change-stream batches: maps each change to its
 * subscription key, gives it the next durable sequence number of that key, and pushes it to the
 * registered connections (410 → removed). Idempotent: a change whose resume token was already
 * relayed is skipped. The DocumentDB event source mapping has no partial-batch response: on a
 * failure the handler throws, and Lambda retries the whole batch until it succeeds. Changes that
 * were already relayed are skipped by their resume token; a retried change may take a new
 * number, which subscribers see as a gap and answer with a resync.
 */
export function createDocumentDbRelay(deps: {
  store: DocumentStore;
  registry: ConnectionRegistry;
  pusher: ConnectionPusher;
  scopeOf: (collection: string) => Promise<DataScopeKey | null>;
  delivery?: PushDeliveryOptions;
  /** Most connections with a push in flight at once (default 32). */
  fanOutConcurrency?: number;
  log?: (message: string) => void;
  /** Which subscribers may receive a change (`own` collections; the same check as the local relay's); null: all of them. */
  changeFilter?: DataRelayOptions['changeFilter'];
}) {
  const delivery: PushDeliveryOptions = { ...(deps.log ? { log: deps.log } : {}), ...deps.delivery };
  /** The one bounded fan-out: frames within 32 KB, the push policy, gone and closed connections forgotten. */
  async function push(deliveries: FanOutDelivery[]): Promise<void> {
    const { gone, closed } = await fanOut(deps.pusher, deliveries, {
      concurrency: deps.fanOutConcurrency ?? defaultFanOutConcurrency,
      delivery,
    });
    for (const connectionId of [...gone, ...closed]) await deps.registry.removeConnection(connectionId);
  }
  const processed = () => deps.store.collection('relay_processed');
  const sequences = () => deps.store.collection<SequenceRecord>('relay_sequences');

  async function nextSeq(key: string): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const updated = await sequences().updateOne({ _id: key }, { $inc: { seq: 1 } });
      if (updated) return updated.seq;
      try {
        await sequences().insertOne({ _id: key, seq: 1 });
        return 1;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
    throw new Error(`could not allocate a sequence number for ${key}`);
  }

  async function relayOne(change: DocumentDbChangeEvent['events'][number]['event']): Promise<void> {
    const token = change._id._data;
    if (await processed().findOne({ _id: token })) return;
    const scope = await deps.scopeOf(change.ns.coll);
    const operation =
      change.operationType === 'insert'
        ? 'insert'
        : change.operationType === 'delete'
          ? 'delete'
          : change.operationType === 'update' || change.operationType === 'replace'
            ? 'update'
            : null;
    if (scope && operation) {
      const key = subscriptionKey(scope);
      // The event source delivers extended JSON ({"$oid": …}, {"$numberInt": …}): decode it first.
      const plain = (value: unknown): unknown => {
        const decoded = BSON.EJSON.deserialize({ value }) as { value?: unknown };
        return toPlainJson(decoded.value);
      };
      const documentId = String(plain(change.documentKey._id));
      const document = operation === 'delete' || !change.fullDocument ? null : (plain(change.fullDocument) as DataChange['document']);
      const dataChange: DataChange = { operation, documentId, document, epoch: documentDbRelayEpoch, seq: await nextSeq(key) };
      const message: ServerMessage = { type: 'data.changed', appId: scope.appId, scope: scope.scope, collection: scope.collection, change: dataChange };
      const admits = deps.changeFilter ? await deps.changeFilter(scope) : null;
      const deliveries: FanOutDelivery[] = [];
      for (const connectionId of await deps.registry.connectionsFor(key)) {
        if (admits) {
          // `own` collections: only subscribers who may see this document (its creator, admins) receive it.
          const record = (await deps.registry.recordsFor(connectionId)).find((candidate) => candidate.key === key);
          if (!record || !(await admits(record.userId, dataChange))) continue;
        }
        deliveries.push({ connectionId, message });
      }
      await push(deliveries);
    }
    await processed()
      .insertOne({ _id: token, at: new Date().toISOString() })
      .catch((error: unknown) => {
        if (!(error instanceof DuplicateKeyError)) throw error;
      });
  }

  /** Relays a batch in order; throws `RelayBatchFailedError` at the first failure so nothing is acknowledged and lost. */
  const relay = async (event: DocumentDbChangeEvent): Promise<void> => {
    for (const { event: change } of event.events) {
      try {
        await relayOne(change);
      } catch (error) {
        deps.log?.(`relay failed for ${change._id._data}: ${error instanceof Error ? error.message : String(error)}`);
        throw new RelayBatchFailedError(change._id._data, { cause: error });
      }
    }
  };
  /** The durable sequence number a key has reached (what a new subscriber starts after). */
  const sequenceOf = async (key: string): Promise<number> => (await sequences().findOne({ _id: key }))?.seq ?? 0;
  return Object.assign(relay, { sequenceOf });
}
