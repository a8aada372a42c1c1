/**
 * The connection registry port: which WebSocket connections (API Gateway connection ids) are
 * subscribed to which live-data subscription keys (e.g. `app_123:draft:leads`). The relay asks
 * it whom to push a change to, and removes connections that answer 410 Gone.
 * Adapters: memory (embedded default) and Redis (ElastiCache, shared by every Lambda container).
 * Every adapter passes `connection-registry.contract.ts`.
 */

/** One connection's subscription to one key. */
export interface SubscriptionRecord {
  connectionId: string;
  key: string;
  userId: string;
  subscribedAt: string;
}

export interface ConnectionRegistry {
  /** Adapter name for health output, e.g. `memory` or `redis`. */
  readonly kind: string;
  /** Idempotent: subscribing twice to the same key keeps one record (the latest userId/subscribedAt). */
  add(record: SubscriptionRecord): Promise<void>;
  /** Removes one subscription; removing one that does not exist is not an error. */
  remove(connectionId: string, key: string): Promise<void>;
  /** Removes every subscription of a connection (disconnect or 410 Gone); returns the keys it had. */
  removeConnection(connectionId: string): Promise<string[]>;
  /** Connection ids subscribed to a key (order not significant). */
  connectionsFor(key: string): Promise<string[]>;
  /** Keys a connection is subscribed to (order not significant). */
  keysFor(connectionId: string): Promise<string[]>;
  /** A connection's subscription records, with who subscribed and when (order not significant). */
  recordsFor(connectionId: string): Promise<SubscriptionRecord[]>;
  /** How many subscriptions exist in total (memory: exact; Redis: may use SCAN, used by tests/health only). */
  count(): Promise<number>;
  /** Releases connections the registry owns; later calls reject. Closing twice is fine. */
  close(): Promise<void>;
}

/** Longest accepted connection id, subscription key and user id. */
export const maxSubscriptionFieldLength = 512;
/** Longest accepted `subscribedAt` (an ISO 8601 timestamp is 24 characters). */
const maxTimestampLength = 64;

/** Thrown (as a rejection) for an empty, oversized or non-string connection id, key or record field. */
export class InvalidSubscriptionError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`invalid ${field}: ${reason}`);
    this.name = 'InvalidSubscriptionError';
  }
}

function checkField(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidSubscriptionError(field, 'not a string');
  if (value.length === 0) throw new InvalidSubscriptionError(field, 'empty');
  if (value.length > maxLength) throw new InvalidSubscriptionError(field, `longer than ${maxLength} characters`);
  return value;
}

/** Returns the connection id, or throws `InvalidSubscriptionError`. */
export const checkConnectionId = (connectionId: unknown): string => checkField('connectionId', connectionId, maxSubscriptionFieldLength);

/** Returns the subscription key, or throws `InvalidSubscriptionError`. */
export const checkSubscriptionKey = (key: unknown): string => checkField('key', key, maxSubscriptionFieldLength);

/** Returns a copy of the record holding only its four fields, or throws `InvalidSubscriptionError`. */
export function checkSubscriptionRecord(record: SubscriptionRecord): SubscriptionRecord {
  if (typeof record !== 'object' || record === null) throw new InvalidSubscriptionError('record', 'not an object');
  return {
    connectionId: checkConnectionId(record.connectionId),
    key: checkSubscriptionKey(record.key),
    userId: checkField('userId', record.userId, maxSubscriptionFieldLength),
    subscribedAt: checkField('subscribedAt', record.subscribedAt, maxTimestampLength),
  };
}
