import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerMessage, type DataScopeKey } from '@hangar/protocol';
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
    fanOutConcurrency?: number;
    /** Holds each post until a later macrotask, so pushes in flight overlap. */
    slowPush?: boolean;
  } = {},
) {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const inner = createMemoryConnectionRegistry();
  const registry = options.registry ? options.registry(inner) : inner;
  const sent: [string, ServerMessage][] = [];
  const disconnected: string[] = [];
  const flight = { now: 0, max: 0 };
  const pusher: ConnectionPusher = {
    async post(connectionId, data) {
      if (options.slowPush) {
        flight.max = Math.max(flight.max, ++flight.now);
        await new Promise((resolve) => setImmediate(resolve));
        flight.now--;
      }
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
    ...(options.fanOutConcurrency ? { fanOutConcurrency: options.fanOutConcurrency } : {}),
    scopeOf: async (collection) => (collection === (await physicalCollectionName(scope)) ? scope : null),
  });
  return { store, registry: inner, sent, disconnected, relay, flight };
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

  it('sends a change whose document would exceed the 32 KB frame as a data.reload notice with its sequence number', async () => {
    const { store, registry, sent, relay } = setup();
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const at = '2026-11-24T12:00:00.000Z';
    const big: DocumentDbChangeEvent = {
      eventSource: 'aws:docdb',
      eventSourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:hangar',
      events: [
        {
          event: {
            _id: { _data: 'token-big' },
            operationType: 'insert',
            ns: { db: 'hangar', coll: await physicalCollectionName(scope) },
            documentKey: { _id: 'doc_big' },
            fullDocument: { _id: 'doc_big', notes: 'x'.repeat(40 * 1024), _createdAt: at, _updatedAt: at },
          },
        },
      ],
    };
    await relay(big);
    expect(sent).toEqual([
      [
        'conn-a',
        {
          type: 'data.reload',
          appId: 'app_one',
          scope: 'draft',
          collection: 'leads',
          change: { operation: 'insert', documentId: 'doc_big', epoch: 'docdb', seq: 1 },
        },
      ],
    ]);
    expect(ServerMessage.safeParse(sent[0]?.[1]).success).toBe(true);
    // The next change is an ordinary frame again, numbered after the notice.
    await relay(await recordedBatch());
    expect(changes(sent.slice(1)).map((entry) => entry?.[2])).toEqual([2, 3, 4]);
    await store.close();
  });

  it('fans each change out to many subscribers with at most fanOutConcurrency pushes in flight', async () => {
    const { store, registry, sent, relay, flight } = setup({ fanOutConcurrency: 3, slowPush: true });
    const connections = Array.from({ length: 10 }, (_, index) => `conn-${index}`);
    for (const connectionId of connections) {
      await registry.add({ connectionId, key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    }
    await relay(await recordedBatch());
    expect(flight.max).toBe(3);
    for (const connectionId of connections) {
      expect(
        sent.filter(([id]) => id === connectionId).map(([, message]) => (message.type === 'data.changed' ? message.change.seq : 0)),
      ).toEqual([1, 2, 3]);
    }
    await store.close();
  });
});
