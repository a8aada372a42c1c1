import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataScopeKey, ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { physicalCollectionName } from '../domain/data-service';
import { PushFailedError, type ConnectionPusher } from '../ports/connection-pusher';
import type { ConnectionRegistry } from '../ports/connection-registry';
import { subscriptionKey } from './data-relay';
import { createDocumentDbRelay, RelayBatchFailedError, type DocumentDbChangeEvent } from './documentdb-relay';

const scope: DataScopeKey = { workspaceId: 'wsp_one', appId: 'app_one', scope: 'draft', collection: 'leads' };

async function recordedBatch(): Promise<DocumentDbChangeEvent> {
  const text = readFileSync(join(import.meta.dirname, '__fixtures__', 'docdb-change-events.json'), 'utf8');
  return JSON.parse(text.replaceAll('__LEADS__', await physicalCollectionName(scope))) as DocumentDbChangeEvent;
}

function setup(
  options: {
    failPush?: (message: ServerMessage) => boolean;
    gone?: string[];
    registry?: (inner: ConnectionRegistry) => ConnectionRegistry;
  } = {},
) {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const inner = createMemoryConnectionRegistry();
  const registry = options.registry ? options.registry(inner) : inner;
  const sent: [string, ServerMessage][] = [];
  const disconnected: string[] = [];
  const pusher: ConnectionPusher = {
    post(connectionId, data) {
      const message = data as ServerMessage;
      if (options.failPush?.(message)) return Promise.reject(new PushFailedError('management API unavailable', true, 503));
      if (options.gone?.includes(connectionId)) return Promise.resolve('gone');
      sent.push([connectionId, message]);
      return Promise.resolve('sent');
    },
    disconnect: (connectionId) => Promise.resolve(void disconnected.push(connectionId)),
  };
  const relay = createDocumentDbRelay({
    store,
    registry,
    pusher,
    delivery: { sleep: () => Promise.resolve() },
    scopeOf: async (collection) => (collection === (await physicalCollectionName(scope)) ? scope : null),
  });
  return { store, registry: inner, sent, disconnected, relay };
}

const changes = (sent: [string, ServerMessage][]) =>
  sent.map(([id, message]) =>
    message.type === 'data.changed' ? [id, message.change.operation, message.change.seq, message.change.document?.['score'] ?? null] : null,
  );

describe('DocumentDB change-stream relay (Lambda)', () => {
  it('relays a recorded batch to subscribers with durable sequence numbers and plain JSON documents', async () => {
    const { store, registry, sent, relay } = setup();
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    await relay(await recordedBatch());
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

  it('throws at the first failure (DocumentDB has no partial batches), and the redelivered batch completes', async () => {
    let failures = 1;
    const { store, registry, sent, relay } = setup({
      registry: (inner) => ({
        ...inner,
        connectionsFor: async (key) => {
          // The second change of the batch meets a registry outage once.
          if (sent.length === 1 && failures-- > 0) throw new Error('registry unavailable');
          return inner.connectionsFor(key);
        },
      }),
    });
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const batch = await recordedBatch();
    await expect(relay(batch)).rejects.toBeInstanceOf(RelayBatchFailedError);
    expect(sent).toHaveLength(1);
    // Lambda redelivers the whole batch: the insert is skipped by its resume token.
    await relay(batch);
    // The retried update took a new number: the subscriber sees 1, 3, 4 and resynchronizes at the gap.
    expect(changes(sent).map((entry) => entry?.[2])).toEqual([1, 3, 4]);
    await store.close();
  });

  it('retries a transient push failure, then closes the connection instead of skipping the change', async () => {
    let transient = 2;
    const retried = setup({ failPush: () => transient-- > 0 });
    await retried.registry.add({
      connectionId: 'conn-a',
      key: subscriptionKey(scope),
      userId: 'usr_a',
      subscribedAt: new Date().toISOString(),
    });
    await retried.relay(await recordedBatch());
    expect(changes(retried.sent).map((entry) => entry?.[2])).toEqual([1, 2, 3]);
    expect(retried.disconnected).toEqual([]);
    await retried.store.close();

    const broken = setup({ failPush: () => true });
    await broken.registry.add({
      connectionId: 'conn-b',
      key: subscriptionKey(scope),
      userId: 'usr_a',
      subscribedAt: new Date().toISOString(),
    });
    await broken.relay(await recordedBatch());
    expect(broken.disconnected).toEqual(['conn-b']);
    expect(await broken.registry.keysFor('conn-b')).toEqual([]);
    await broken.store.close();
  });

  it('removes connections that answer 410 Gone', async () => {
    const { store, registry, relay } = setup({ gone: ['conn-gone'] });
    await registry.add({ connectionId: 'conn-gone', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    await relay(await recordedBatch());
    expect(await registry.connectionsFor(subscriptionKey(scope))).toEqual([]);
    await store.close();
  });
});
