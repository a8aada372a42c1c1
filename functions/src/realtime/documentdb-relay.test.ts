import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataScopeKey, ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { physicalCollectionName } from '../domain/data-service';
import type { ConnectionPusher } from '../ports/connection-pusher';
import { subscriptionKey } from './data-relay';
import { createDocumentDbRelay, type DocumentDbChangeEvent } from './documentdb-relay';

const scope: DataScopeKey = { workspaceId: 'wsp_one', appId: 'app_one', scope: 'draft', collection: 'leads' };

async function recordedBatch(): Promise<DocumentDbChangeEvent> {
  const text = readFileSync(join(import.meta.dirname, '__fixtures__', 'docdb-change-events.json'), 'utf8');
  return JSON.parse(text.replaceAll('__LEADS__', await physicalCollectionName(scope))) as DocumentDbChangeEvent;
}

function setup(options: { failOn?: (message: ServerMessage) => boolean; gone?: string[] } = {}) {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const registry = createMemoryConnectionRegistry();
  const sent: [string, ServerMessage][] = [];
  const pusher: ConnectionPusher = {
    post(connectionId, data) {
      const message = data as ServerMessage;
      if (options.failOn?.(message)) return Promise.reject(new Error('management API unavailable'));
      if (options.gone?.includes(connectionId)) return Promise.resolve('gone');
      sent.push([connectionId, message]);
      return Promise.resolve('sent');
    },
    disconnect: () => Promise.resolve(),
  };
  const relay = createDocumentDbRelay({
    store,
    registry,
    pusher,
    scopeOf: async (collection) => (collection === (await physicalCollectionName(scope)) ? scope : null),
  });
  return { store, registry, sent, relay };
}

const changes = (sent: [string, ServerMessage][]) =>
  sent.map(([id, message]) =>
    message.type === 'data.changed' ? [id, message.change.operation, message.change.seq, message.change.document?.['score'] ?? null] : null,
  );

describe('DocumentDB change-stream relay (Lambda)', () => {
  it('relays a recorded batch to subscribers with durable sequence numbers and plain JSON documents', async () => {
    const { store, registry, sent, relay } = setup();
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const result = await relay(await recordedBatch());
    expect(result).toEqual({ batchItemFailures: [] });
    expect(changes(sent)).toEqual([
      ['conn-a', 'insert', 1, 42],
      ['conn-a', 'update', 2, 42],
      ['conn-a', 'delete', 3, null],
    ]);
    // A subscriber that arrives now starts after the durable number.
    expect(await relay.sequenceOf(subscriptionKey(scope))).toBe(3);
    await store.close();
  });

  it('is idempotent: a redelivered batch pushes nothing twice', async () => {
    const { store, registry, sent, relay } = setup();
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const batch = await recordedBatch();
    await relay(batch);
    await relay(batch);
    expect(sent).toHaveLength(3);
    await store.close();
  });

  it('reports the failed change and every later one, then completes on retry', async () => {
    let failing = true;
    const { store, registry, sent, relay } = setup({
      failOn: (message) => failing && message.type === 'data.changed' && message.change.operation === 'update',
    });
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const batch = await recordedBatch();
    const first = await relay(batch);
    expect(first.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      batch.events.slice(1).map((item) => item.event._id._data),
    );
    failing = false;
    expect(await relay({ ...batch, events: batch.events.slice(1) })).toEqual({ batchItemFailures: [] });
    // The retried update took a new number: the subscriber sees 1, 3, 4 and resynchronizes at the gap.
    expect(changes(sent).map((entry) => entry?.[2])).toEqual([1, 3, 4]);
    await store.close();
  });

  it('removes connections that answer 410 Gone', async () => {
    const { store, registry, relay } = setup({ gone: ['conn-gone'] });
    await registry.add({ connectionId: 'conn-gone', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    await relay(await recordedBatch());
    expect(await registry.connectionsFor(subscriptionKey(scope))).toEqual([]);
    await store.close();
  });
});
