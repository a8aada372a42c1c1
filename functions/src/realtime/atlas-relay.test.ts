import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataScopeKey, ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { physicalCollectionName } from '../domain/data-service';
import type { ConnectionPusher } from '../ports/connection-pusher';
import { AtlasRelayError, createAtlasRelay } from './atlas-relay';
import { subscriptionKey } from './data-relay';
import { createDocumentDbRelay, type DocumentDbChangeEvent } from './documentdb-relay';

const scope: DataScopeKey = { workspaceId: 'wsp_one', appId: 'app_one', scope: 'draft', collection: 'leads' };

/** The recorded DocumentDB changes, re-wrapped one per EventBridge event as Atlas Triggers send them. */
async function atlasEvents() {
  const text = readFileSync(join(import.meta.dirname, '__fixtures__', 'docdb-change-events.json'), 'utf8');
  const batch = JSON.parse(text.replaceAll('__LEADS__', await physicalCollectionName(scope))) as DocumentDbChangeEvent;
  return batch.events.map(({ event }) => ({
    version: '0',
    id: `evt-${event._id._data}`,
    'detail-type': `MongoDB Database Trigger for hangar.${event.ns.coll}`,
    source: 'aws.partner/mongodb.com/stitch.trigger/65a1b2c3d4e5f60718293a4b',
    account: '123456789012',
    time: '2026-11-24T12:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: event,
  }));
}

function setup(failing: { value: boolean }) {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const registry = createMemoryConnectionRegistry();
  const sent: ServerMessage[] = [];
  const pusher: ConnectionPusher = {
    post(_connectionId, data) {
      if (failing.value) return Promise.reject(new Error('management API unavailable'));
      sent.push(data as ServerMessage);
      return Promise.resolve('sent');
    },
    disconnect: () => Promise.resolve(),
  };
  const relay = createDocumentDbRelay({
    store,
    registry,
    pusher,
    scopeOf: async (name) => (name === (await physicalCollectionName(scope)) ? scope : null),
  });
  return { store, registry, sent, atlas: createAtlasRelay(relay) };
}

describe('Atlas (EventBridge) relay', () => {
  it('relays each trigger event through the shared relay, once, with durable sequence numbers', async () => {
    const failing = { value: false };
    const { store, registry, sent, atlas } = setup(failing);
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    const events = await atlasEvents();
    for (const event of events) expect(await atlas(event)).toEqual({ relayed: true });
    // EventBridge delivers at least once: a duplicate is recognised by its resume token.
    await atlas(events[0]);
    expect(sent.map((message) => (message.type === 'data.changed' ? [message.change.operation, message.change.seq] : null))).toEqual([
      ['insert', 1],
      ['update', 2],
      ['delete', 3],
    ]);
    await store.close();
  });

  it('throws a retryable error when the relay fails, and drops malformed events', async () => {
    const [first] = await atlasEvents();
    // A failed batch (a store error): the relay throws, the Atlas handler throws a retryable error for EventBridge.
    const failing = createAtlasRelay(() => Promise.reject(new Error('store unavailable')));
    await expect(failing(first)).rejects.toBeInstanceOf(AtlasRelayError);
    // A push that keeps failing is not a batch failure: the connection is closed so its client resyncs.
    const broken = { value: true };
    const { store, registry, atlas } = setup(broken);
    await registry.add({ connectionId: 'conn-a', key: subscriptionKey(scope), userId: 'usr_a', subscribedAt: new Date().toISOString() });
    expect(await atlas(first)).toEqual({ relayed: true });
    expect(await atlas({ source: 'aws.events', detail: {} })).toEqual({ relayed: false });
    expect(await atlas({ ...first, detail: { ...first?.detail, _id: 'not-a-token' } })).toEqual({ relayed: false });
    await store.close();
  });
});
