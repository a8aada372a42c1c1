import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRunEventLogContract, takeRunEvents } from '../ports/run-event-log.contract';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../testing/redis-server';
import { createRedisRunEventLog } from './redis-run-event-log';

const unavailable = !findRedisServer() && !process.env.CI;
if (unavailable) console.warn('redis-run-event-log: skipped — redis-server is not on PATH (apt-get install -y redis-server)');

describe.skipIf(unavailable)('redis run event log against a local redis-server', () => {
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

  describeRunEventLogContract('redis', () => {
    const log = createRedisRunEventLog({ url: server.url, blockMs: 2000 });
    return Promise.resolve({
      log,
      cleanup: async () => {
        await log.close();
        await admin.flushdb();
      },
    });
  });

  it('skips corrupt entries written behind its back, in reads and in subscriptions', async () => {
    const reports: string[] = [];
    const log = createRedisRunEventLog({ client: admin, log: (message) => reports.push(message) });
    const key = 'hangar:run:{run_corrupt}';
    await log.append('run_corrupt', { type: 'text.delta', text: 'before' });
    await admin.xadd(key, '*', 'e', '{not json');
    await admin.xadd(key, '*', 'e', JSON.stringify({ type: 'text.delta', text: 'x', extra: true }));
    await admin.xadd(key, '*', 'other', 'field');
    const after = await log.append('run_corrupt', { type: 'text.delta', text: 'after' });
    const texts = (await log.read('run_corrupt')).map((stored) => stored.event.type === 'text.delta' && stored.event.text);
    expect(texts).toEqual(['before', 'after']);
    expect(reports).toHaveLength(3);
    expect(reports.join('\n')).not.toContain('{not json');
    // A limit counts valid events: corrupt entries in between do not shorten the page.
    expect(await log.read('run_corrupt', { limit: 2 })).toHaveLength(2);

    const subscription = log.subscribe('run_corrupt');
    const received = await takeRunEvents(subscription, 2);
    expect(received.at(-1)?.id).toBe(after.id);
    const live = takeRunEvents(subscription, 1);
    await admin.xadd(key, '*', 'e', 'null');
    const last = await log.append('run_corrupt', { type: 'text.delta', text: 'live' });
    expect((await live)[0]?.id).toBe(last.id);
    await log.close();
    expect(await admin.ping()).toBe('PONG'); // a shared client stays open
  });

  it('sets a TTL on every append and caps the stream length approximately', async () => {
    const log = createRedisRunEventLog({ client: admin, ttlSeconds: 120, maxLength: 100 });
    for (let index = 0; index < 1000; index++) await log.append('run_ttl', { type: 'text.delta', text: String(index) });
    const ttl = await admin.ttl('hangar:run:{run_ttl}');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);
    const length = await admin.xlen('hangar:run:{run_ttl}');
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(1000);
    // An `after` older than what is retained starts at the oldest retained entry.
    const read = await log.read('run_ttl', { after: '0-1', limit: 5000 });
    expect(read).toHaveLength(length);
    expect(read.at(-1)?.event).toEqual({ type: 'text.delta', text: '999' });
    await log.close();
  });

  it('uses stream ids and their time, and refuses run ids that would break the hash tag', async () => {
    const log = createRedisRunEventLog({ client: admin });
    const before = Date.now();
    const stored = await log.append('run_ids', { type: 'text.delta', text: 'a' });
    expect(stored.id).toMatch(/^\d+-\d+$/);
    expect(Date.parse(stored.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(log.compareIds('10-2', '9-3')).toBeGreaterThan(0);
    expect(log.compareIds('18446744073709551615-0', '18446744073709551614-9')).toBeGreaterThan(0);
    await expect(log.append('run_{x}', { type: 'text.delta', text: 'a' })).rejects.toThrow(TypeError);
    await log.close();
  });
});
