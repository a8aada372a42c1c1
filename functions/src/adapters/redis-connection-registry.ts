import { Redis, type ChainableCommander } from 'ioredis';
import {
  checkConnectionId,
  checkSubscriptionKey,
  checkSubscriptionRecord,
  type ConnectionRegistry,
  type SubscriptionRecord,
} from '../ports/connection-registry';

export interface RedisConnectionRegistryOptions {
  /** A connected client; the registry leaves it open on close(). One of `client` or `url` is required. */
  client?: Redis;
  /** `redis://` or `rediss://` URL; the registry owns this connection and closes it. */
  url?: string;
  /**
   * A connection's subscriptions expire this long after its last `add` (default 24 h), so
   * connections that vanished without a disconnect do not linger. Keep it above the longest
   * connection lifetime (API Gateway: 2 h).
   */
  ttlSeconds?: number;
  /**
   * First part of every key (default `hangar`). Transactions span several keys, so use a
   * standalone (cluster mode disabled) Redis, or a hash-tagged prefix such as `{hangar}` that
   * puts every key of the registry in one cluster slot.
   */
  prefix?: string;
}

/**
 * Drops `connectionId` from a key's set unless the connection still holds the key, atomically,
 * so a concurrent re-subscription is never undone. KEYS: subscribers set, connection's key set;
 * ARGV: subscription key, connection id.
 */
const pruneScript = `if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return redis.call('SREM', KEYS[1], ARGV[2]) end
return 0`;

/** Escapes SCAN MATCH glob characters so the prefix is matched literally. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);

/** Runs a MULTI or pipeline; rejects when it was aborted or any command in it failed. */
async function execute(transaction: ChainableCommander): Promise<unknown[]> {
  const results = await transaction.exec();
  if (!results) throw new Error('Redis transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function parseInfo(connectionId: string, key: string, json: string): SubscriptionRecord | null {
  try {
    const info = JSON.parse(json) as { userId?: unknown; subscribedAt?: unknown } | null;
    if (typeof info?.userId !== 'string' || typeof info.subscribedAt !== 'string') return null;
    return { connectionId, key, userId: info.userId, subscribedAt: info.subscribedAt };
  } catch {
    return null;
  }
}

/**
 * The connection registry in Redis (ElastiCache), shared by every Lambda container:
 * `<prefix>:sub:<key>` is the set of connection ids subscribed to a key,
 * `<prefix>:conn:<connectionId>` the set of the connection's keys (the authoritative side), and
 * `<prefix>:subinfo:<connectionId>` a hash of key → `{"userId","subscribedAt"}`.
 * Every write changes both sides in one MULTI, so they never disagree; only expiry can leave
 * an expired connection's id in a key's set, and `connectionsFor` prunes those.
 */
export function createRedisConnectionRegistry(options: RedisConnectionRegistryOptions): ConnectionRegistry {
  if (!options.client && !options.url) throw new TypeError('createRedisConnectionRegistry needs a client or a url');
  const ttlSeconds = options.ttlSeconds ?? 24 * 60 * 60;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError('ttlSeconds must be a positive integer');
  const prefix = options.prefix ?? 'hangar';
  if (!prefix) throw new TypeError('prefix must not be empty');
  const ownsClient = !options.client;
  const client = options.client ?? new Redis(options.url ?? '');
  let closed = false;

  const subscribersKey = (key: string) => `${prefix}:sub:${key}`;
  const connectionKey = (connectionId: string) => `${prefix}:conn:${connectionId}`;
  const infoKey = (connectionId: string) => `${prefix}:subinfo:${connectionId}`;
  const open = () => {
    if (closed) throw new Error('connection registry is closed');
  };

  return {
    kind: 'redis',

    async add(record: SubscriptionRecord): Promise<void> {
      open();
      const { connectionId, key, userId, subscribedAt } = checkSubscriptionRecord(record);
      // The connection's other keys' sets get their TTL renewed too, so a key's set never
      // expires while a connection that holds the key is still alive.
      const otherKeys = (await client.smembers(connectionKey(connectionId))).filter((other) => other !== key);
      const transaction = client
        .multi()
        .sadd(subscribersKey(key), connectionId)
        .sadd(connectionKey(connectionId), key)
        .hset(infoKey(connectionId), key, JSON.stringify({ userId, subscribedAt }))
        .expire(subscribersKey(key), ttlSeconds)
        .expire(connectionKey(connectionId), ttlSeconds)
        .expire(infoKey(connectionId), ttlSeconds);
      for (const other of otherKeys) transaction.expire(subscribersKey(other), ttlSeconds);
      await execute(transaction);
    },

    async remove(connectionId: string, key: string): Promise<void> {
      open();
      checkConnectionId(connectionId);
      checkSubscriptionKey(key);
      await execute(
        client.multi().srem(subscribersKey(key), connectionId).srem(connectionKey(connectionId), key).hdel(infoKey(connectionId), key),
      );
    },

    async removeConnection(connectionId: string): Promise<string[]> {
      open();
      checkConnectionId(connectionId);
      const keys = await client.smembers(connectionKey(connectionId));
      if (keys.length === 0) return [];
      // Removes exactly the pairs read (not the whole sets), so a key added meanwhile stays
      // consistent on both sides: it counts as subscribed after this removal.
      const transaction = client.multi();
      for (const key of keys) transaction.srem(subscribersKey(key), connectionId);
      transaction.srem(connectionKey(connectionId), ...keys).hdel(infoKey(connectionId), ...keys);
      await execute(transaction);
      return keys;
    },

    async connectionsFor(key: string): Promise<string[]> {
      open();
      checkSubscriptionKey(key);
      const members = await client.smembers(subscribersKey(key));
      if (members.length === 0) return [];
      const check = client.pipeline();
      for (const connectionId of members) check.sismember(connectionKey(connectionId), key);
      const held = await execute(check);
      const live = members.filter((_, index) => held[index] === 1);
      const expired = members.filter((_, index) => held[index] !== 1);
      if (expired.length > 0) {
        const prune = client.pipeline();
        for (const connectionId of expired) prune.eval(pruneScript, 2, subscribersKey(key), connectionKey(connectionId), key, connectionId);
        await execute(prune);
      }
      return live;
    },

    async keysFor(connectionId: string): Promise<string[]> {
      open();
      return client.smembers(connectionKey(checkConnectionId(connectionId)));
    },

    async recordsFor(connectionId: string): Promise<SubscriptionRecord[]> {
      open();
      const fields = await client.hgetall(infoKey(checkConnectionId(connectionId)));
      return Object.entries(fields).flatMap(([key, json]) => parseInfo(connectionId, key, json) ?? []);
    },

    async count(): Promise<number> {
      open();
      // SCAN may answer a key more than once; a set counts each connection once.
      const connectionKeys = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}:conn:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) connectionKeys.add(key);
      } while (cursor !== '0');
      if (connectionKeys.size === 0) return 0;
      const sizes = client.pipeline();
      for (const key of connectionKeys) sizes.scard(key);
      return (await execute(sizes)).reduce<number>((total, size) => total + Number(size), 0);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (ownsClient) await client.quit();
    },
  };
}
