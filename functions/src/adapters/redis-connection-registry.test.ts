import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionRecord } from '../ports/connection-registry';
import { describeConnectionRegistryContract } from '../ports/connection-registry.contract';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../testing/redis-server';
import { createRedisConnectionRegistry } from './redis-connection-registry';

const unavailable = !findRedisServer() && !process.env.CI;
if (unavailable) console.warn('redis-connection-registry: skipped — redis-server is not on PATH (apt-get install -y redis-server)');

const record = (connectionId: string, key: string): SubscriptionRecord => ({
  connectionId,
  key,
  userId: 'user_1',
  subscribedAt: '2026-01-02T03:04:05.000Z',
});

describe.skipIf(unavailable)('redis connection registry against a local redis-server', () => {
  let server: RedisServerHandle;
  let admin: Redis;

  beforeAll(async () => {
    const started = await startRedisServer();
    if (!started) throw new Error('redis-server disappeared from PATH');
    server = started;
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });

  describeConnectionRegistryContract('redis', () => {
    const registry = createRedisConnectionRegistry({ url: server.url });
    return Promise.resolve({
      registry,
      cleanup: async () => {
        await registry.close();
        await admin.flushdb();
      },
    });
  });

  describeConnectionRegistryContract('redis (shared client, hash-tagged prefix)', () => {
    const registry = createRedisConnectionRegistry({ client: admin, prefix: '{hangar}' });
    return Promise.resolve({
      registry,
      cleanup: async () => {
        await registry.close();
        await admin.flushdb();
      },
    });
  });

  it('stores both sides and the record under the documented keys', async () => {
    const registry = createRedisConnectionRegistry({ client: admin });
    await registry.add(record('conn_a', 'app_1:draft:leads'));
    expect(await admin.smembers('hangar:sub:app_1:draft:leads')).toEqual(['conn_a']);
    expect(await admin.smembers('hangar:conn:conn_a')).toEqual(['app_1:draft:leads']);
    expect(JSON.parse((await admin.hget('hangar:subinfo:conn_a', 'app_1:draft:leads')) ?? 'null')).toEqual({
      userId: 'user_1',
      subscribedAt: '2026-01-02T03:04:05.000Z',
    });
    await registry.removeConnection('conn_a');
    expect(await admin.dbsize()).toBe(0); // emptied sets and hashes leave no keys behind
    await registry.close();
    expect(await admin.ping()).toBe('PONG'); // a shared client stays open
  });

  it('sets the TTL on add, also renewing the sets of the connection’s other keys', async () => {
    const registry = createRedisConnectionRegistry({ client: admin, ttlSeconds: 120 });
    await registry.add(record('conn_a', 'key_1'));
    for (const key of ['hangar:sub:key_1', 'hangar:conn:conn_a', 'hangar:subinfo:conn_a']) {
      const ttl = await admin.ttl(key);
      expect(ttl, key).toBeGreaterThan(100);
      expect(ttl, key).toBeLessThanOrEqual(120);
    }
    await admin.expire('hangar:sub:key_1', 5);
    await registry.add(record('conn_a', 'key_2'));
    expect(await admin.ttl('hangar:sub:key_1')).toBeGreaterThan(100);
    expect(await admin.ttl('hangar:sub:key_2')).toBeGreaterThan(100);
    await registry.close();
    await admin.flushdb();
  });

  it('really expires an abandoned connection, and prunes it from the sets of live keys', async () => {
    const registry = createRedisConnectionRegistry({ client: admin, ttlSeconds: 1 });
    await registry.add(record('conn_gone', 'key_1'));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    // A live connection keeps key_1's set alive after conn_gone's own keys expired.
    await registry.add(record('conn_live', 'key_1'));
    expect(await admin.exists('hangar:conn:conn_gone', 'hangar:subinfo:conn_gone')).toBe(0);
    expect(await registry.keysFor('conn_gone')).toEqual([]);
    expect(await registry.count()).toBe(1);
    expect(await registry.connectionsFor('key_1')).toEqual(['conn_live']);
    expect(await admin.smembers('hangar:sub:key_1')).toEqual(['conn_live']);
    await registry.close();
    await admin.flushdb();
  });

  it('keeps prefixes apart, matching glob characters in a prefix literally', async () => {
    const [starred, plain] = [
      createRedisConnectionRegistry({ client: admin, prefix: 'app*' }),
      createRedisConnectionRegistry({ client: admin, prefix: 'appX' }),
    ];
    await starred.add(record('conn_a', 'key_1'));
    await plain.add(record('conn_a', 'key_1'));
    await plain.add(record('conn_a', 'key_2'));
    expect(await starred.count()).toBe(1);
    expect(await plain.count()).toBe(2);
    expect(await starred.keysFor('conn_a')).toEqual(['key_1']);
    await starred.removeConnection('conn_a');
    expect(await plain.connectionsFor('key_1')).toEqual(['conn_a']);
    await Promise.all([starred.close(), plain.close()]);
    await admin.flushdb();
  });

  it('refuses missing connections and invalid options', () => {
    expect(() => createRedisConnectionRegistry({})).toThrow(TypeError);
    expect(() => createRedisConnectionRegistry({ client: admin, ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => createRedisConnectionRegistry({ client: admin, ttlSeconds: 1.5 })).toThrow(RangeError);
    expect(() => createRedisConnectionRegistry({ client: admin, prefix: '' })).toThrow(TypeError);
  });
});
