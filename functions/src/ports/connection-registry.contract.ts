import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidSubscriptionError,
  maxSubscriptionFieldLength,
  type ConnectionRegistry,
  type SubscriptionRecord,
} from './connection-registry';

export interface ConnectionRegistryFixture {
  /** A registry that starts empty. */
  registry: ConnectionRegistry;
  cleanup: () => Promise<void>;
}

const subscribedAt = '2026-01-02T03:04:05.000Z';
const record = (connectionId: string, key: string, userId = 'user_1'): SubscriptionRecord => ({ connectionId, key, userId, subscribedAt });
const sorted = (values: string[]) => [...values].sort();
const range = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, index) => make(index));

/** The one contract every ConnectionRegistry adapter passes. */
export function describeConnectionRegistryContract(adapterName: string, factory: () => Promise<ConnectionRegistryFixture>) {
  describe(`ConnectionRegistry contract: ${adapterName}`, () => {
    let fixture: ConnectionRegistryFixture;
    let registry: ConnectionRegistry;

    beforeEach(async () => {
      fixture = await factory();
      registry = fixture.registry;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('add and look up', () => {
      it('finds a subscription from both sides, with its record', async () => {
        await registry.add(record('conn_a', 'app_1:draft:leads'));
        expect(await registry.connectionsFor('app_1:draft:leads')).toEqual(['conn_a']);
        expect(await registry.keysFor('conn_a')).toEqual(['app_1:draft:leads']);
        expect(await registry.recordsFor('conn_a')).toEqual([record('conn_a', 'app_1:draft:leads')]);
        expect(await registry.count()).toBe(1);
      });
      it('answers empty lists for unknown keys and connections', async () => {
        expect(await registry.connectionsFor('app_1:draft:nothing')).toEqual([]);
        expect(await registry.keysFor('conn_unknown')).toEqual([]);
        expect(await registry.recordsFor('conn_unknown')).toEqual([]);
        expect(await registry.count()).toBe(0);
      });
      it('keeps one record per connection and key: the latest', async () => {
        await registry.add(record('conn_a', 'app_1:draft:leads', 'user_1'));
        const later = { ...record('conn_a', 'app_1:draft:leads', 'user_2'), subscribedAt: '2026-01-02T04:00:00.000Z' };
        await registry.add(later);
        await registry.add(later);
        expect(await registry.connectionsFor('app_1:draft:leads')).toEqual(['conn_a']);
        expect(await registry.keysFor('conn_a')).toEqual(['app_1:draft:leads']);
        expect(await registry.recordsFor('conn_a')).toEqual([later]);
        expect(await registry.count()).toBe(1);
      });
      it('takes keys and ids literally: separators, braces, glob characters, unicode', async () => {
        const keys = ['app_1:draft:*', 'app_1:draft:leads', 'app_{1}:live:[a]?', 'app 1: ünïcode ✓', 'hangar:conn:x'];
        for (const key of keys) await registry.add(record('L0SM9cOFvHcCIhw=', key));
        await registry.add(record('conn:*', 'app_1:draft:leads'));
        expect(sorted(await registry.keysFor('L0SM9cOFvHcCIhw='))).toEqual(sorted(keys));
        expect(await registry.connectionsFor('app_1:draft:*')).toEqual(['L0SM9cOFvHcCIhw=']);
        expect(sorted(await registry.connectionsFor('app_1:draft:leads'))).toEqual(sorted(['L0SM9cOFvHcCIhw=', 'conn:*']));
        expect(await registry.keysFor('conn:*')).toEqual(['app_1:draft:leads']);
        expect(await registry.count()).toBe(keys.length + 1);
      });
      it('hands out copies: mutating a result changes nothing stored', async () => {
        await registry.add(record('conn_a', 'key_1'));
        (await registry.connectionsFor('key_1')).push('conn_forged');
        (await registry.keysFor('conn_a')).push('key_forged');
        const [stored] = await registry.recordsFor('conn_a');
        if (stored) stored.userId = 'user_forged';
        expect(await registry.connectionsFor('key_1')).toEqual(['conn_a']);
        expect(await registry.recordsFor('conn_a')).toEqual([record('conn_a', 'key_1')]);
      });
    });

    describe('remove', () => {
      it('removes one subscription and leaves the others', async () => {
        await registry.add(record('conn_a', 'key_1'));
        await registry.add(record('conn_a', 'key_2'));
        await registry.add(record('conn_b', 'key_1'));
        await registry.remove('conn_a', 'key_1');
        expect(await registry.connectionsFor('key_1')).toEqual(['conn_b']);
        expect(await registry.keysFor('conn_a')).toEqual(['key_2']);
        expect(await registry.recordsFor('conn_a')).toEqual([record('conn_a', 'key_2')]);
        expect(await registry.count()).toBe(2);
      });
      it('treats removing an absent subscription as done', async () => {
        await registry.add(record('conn_a', 'key_1'));
        await registry.remove('conn_a', 'key_2');
        await registry.remove('conn_z', 'key_1');
        await registry.remove('conn_a', 'key_1');
        await registry.remove('conn_a', 'key_1');
        expect(await registry.connectionsFor('key_1')).toEqual([]);
        expect(await registry.keysFor('conn_a')).toEqual([]);
        expect(await registry.count()).toBe(0);
      });
      it('removes a whole connection, answering its keys, in both directions', async () => {
        await registry.add(record('conn_a', 'key_1'));
        await registry.add(record('conn_a', 'key_2'));
        await registry.add(record('conn_b', 'key_1'));
        await registry.add(record('conn_b', 'key_3'));
        expect(sorted(await registry.removeConnection('conn_a'))).toEqual(['key_1', 'key_2']);
        expect(await registry.keysFor('conn_a')).toEqual([]);
        expect(await registry.recordsFor('conn_a')).toEqual([]);
        expect(await registry.connectionsFor('key_1')).toEqual(['conn_b']);
        expect(await registry.connectionsFor('key_2')).toEqual([]);
        expect(sorted(await registry.keysFor('conn_b'))).toEqual(['key_1', 'key_3']);
        expect(await registry.count()).toBe(2);
        expect(await registry.removeConnection('conn_a')).toEqual([]);
        expect(await registry.removeConnection('conn_never_seen')).toEqual([]);
      });
      it('lets a removed connection subscribe again', async () => {
        await registry.add(record('conn_a', 'key_1'));
        await registry.removeConnection('conn_a');
        await registry.add(record('conn_a', 'key_2'));
        expect(await registry.keysFor('conn_a')).toEqual(['key_2']);
        expect(await registry.connectionsFor('key_1')).toEqual([]);
      });
    });

    describe('scale and concurrency', () => {
      it('holds 200 connections on one key and 200 keys on one connection', async () => {
        const connections = range(200, (index) => `conn_${index}`);
        const keys = range(200, (index) => `app_1:draft:table_${index}`);
        for (const connectionId of connections) await registry.add(record(connectionId, 'app_1:draft:leads'));
        for (const key of keys) await registry.add(record('conn_many', key));
        expect(sorted(await registry.connectionsFor('app_1:draft:leads'))).toEqual(sorted(connections));
        expect(sorted(await registry.keysFor('conn_many'))).toEqual(sorted(keys));
        expect(await registry.count()).toBe(400);
        expect(sorted(await registry.removeConnection('conn_many'))).toEqual(sorted(keys));
        expect(await registry.count()).toBe(200);
        expect(await registry.connectionsFor('app_1:draft:table_7')).toEqual([]);
      });
      it('lands every one of 100 concurrent adds', async () => {
        const connections = range(50, (index) => `conn_${index}`);
        await Promise.all([
          ...connections.map((connectionId) => registry.add(record(connectionId, 'key_shared'))),
          ...range(50, (index) => registry.add(record('conn_busy', `key_${index}`))),
        ]);
        expect(sorted(await registry.connectionsFor('key_shared'))).toEqual(sorted(connections));
        expect(sorted(await registry.keysFor('conn_busy'))).toEqual(sorted(range(50, (index) => `key_${index}`)));
        expect(await registry.count()).toBe(100);
      });
      it('keeps both directions consistent under concurrent adds and removals', async () => {
        const connections = range(40, (index) => `conn_${index}`);
        for (const connectionId of connections) await registry.add(record(connectionId, 'key_shared'));
        // Even connections leave while odd ones subscribe to a second key, all at once.
        await Promise.all(
          connections.map((connectionId, index): Promise<unknown> =>
            index % 2 === 0 ? registry.removeConnection(connectionId) : registry.add(record(connectionId, 'key_other')),
          ),
        );
        const odd = connections.filter((_, index) => index % 2 === 1);
        expect(sorted(await registry.connectionsFor('key_shared'))).toEqual(sorted(odd));
        expect(sorted(await registry.connectionsFor('key_other'))).toEqual(sorted(odd));
        for (const [index, connectionId] of connections.entries()) {
          expect(sorted(await registry.keysFor(connectionId))).toEqual(index % 2 === 1 ? ['key_other', 'key_shared'] : []);
        }
        expect(await registry.count()).toBe(40);
      });
    });

    describe('validation and lifecycle', () => {
      const tooLong = 'x'.repeat(maxSubscriptionFieldLength + 1);
      const longest = 'y'.repeat(maxSubscriptionFieldLength);
      const invalidRecords: [string, SubscriptionRecord][] = [
        ['an empty connection id', record('', 'key_1')],
        ['an empty key', record('conn_a', '')],
        ['an oversized connection id', record(tooLong, 'key_1')],
        ['an oversized key', record('conn_a', tooLong)],
        ['an empty user id', record('conn_a', 'key_1', '')],
        ['an empty subscribedAt', { ...record('conn_a', 'key_1'), subscribedAt: '' }],
        ['a non-string key', { ...record('conn_a', 'key_1'), key: 42 as unknown as string }],
      ];
      for (const [description, invalid] of invalidRecords) {
        it(`rejects adding a record with ${description}`, async () => {
          await expect(registry.add(invalid)).rejects.toBeInstanceOf(InvalidSubscriptionError);
          expect(await registry.count()).toBe(0);
        });
      }
      it('rejects empty and oversized ids and keys in every lookup and removal', async () => {
        for (const bad of ['', tooLong]) {
          await expect(registry.remove(bad, 'key_1')).rejects.toBeInstanceOf(InvalidSubscriptionError);
          await expect(registry.remove('conn_a', bad)).rejects.toBeInstanceOf(InvalidSubscriptionError);
          await expect(registry.removeConnection(bad)).rejects.toBeInstanceOf(InvalidSubscriptionError);
          await expect(registry.connectionsFor(bad)).rejects.toBeInstanceOf(InvalidSubscriptionError);
          await expect(registry.keysFor(bad)).rejects.toBeInstanceOf(InvalidSubscriptionError);
          await expect(registry.recordsFor(bad)).rejects.toBeInstanceOf(InvalidSubscriptionError);
        }
      });
      it(`accepts ids and keys of ${maxSubscriptionFieldLength} characters`, async () => {
        await registry.add(record(longest, longest));
        expect(await registry.connectionsFor(longest)).toEqual([longest]);
        expect(await registry.removeConnection(longest)).toEqual([longest]);
      });
      it('rejects calls after close; closing twice is fine', async () => {
        await registry.add(record('conn_a', 'key_1'));
        await registry.close();
        await registry.close();
        await expect(registry.add(record('conn_a', 'key_2'))).rejects.toThrow(/closed/);
        await expect(registry.connectionsFor('key_1')).rejects.toThrow(/closed/);
      });
    });
  });
}
