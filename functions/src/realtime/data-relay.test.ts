import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { DataService } from '../domain/data-service';
import { builderCollections } from '../domain/records';
import { createServices } from '../domain/services';
import { systemClock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { DocumentStore } from '../ports/document-store';
import { sortableIdGenerator } from '../ports/id-generator';
import { DataRelay, subscriptionKey } from './data-relay';

/** A pusher that records messages; connections listed in `gone` answer 410. */
class RecordingPusher implements ConnectionPusher {
  readonly sent = new Map<string, ServerMessage[]>();
  readonly gone = new Set<string>();
  private waiters: (() => void)[] = [];
  post(connectionId: string, data: unknown) {
    if (this.gone.has(connectionId)) return Promise.resolve('gone' as const);
    this.sent.set(connectionId, [...(this.sent.get(connectionId) ?? []), data as ServerMessage]);
    for (const wake of this.waiters.splice(0)) wake();
    return Promise.resolve('sent' as const);
  }
  disconnect() {
    return Promise.resolve();
  }
  /** Waits until a connection holds `count` messages (bounded). */
  async waitFor(connectionId: string, count: number) {
    for (let attempt = 0; attempt < 200 && (this.sent.get(connectionId)?.length ?? 0) < count; attempt++) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.sent.get(connectionId) ?? [];
  }
}

describe('data relay', () => {
  let store: DocumentStore;
  afterEach(() => store.close());

  async function setup() {
    store = createSqliteDocumentStore({ filename: ':memory:' });
    const services = await createServices({ store, ids: sortableIdGenerator, clock: systemClock });
    const data = new DataService(store, services.access, services.audit, sortableIdGenerator, systemClock);
    const owner = { identity: { id: 'usr_owner', email: 'o@example.com', name: 'O', provider: 'local' as const }, source: 'api' as const };
    const workspace = await services.workspaces.create(owner, 'Ops');
    const now = new Date().toISOString();
    await store.collection(builderCollections.apps).insertOne({
      _id: 'app_one',
      workspaceId: workspace.id,
      name: 'One',
      createdBy: owner.identity.id,
      createdAt: now,
      updatedAt: now,
      latestVersionId: null,
      latestRunId: null,
      latestRunStatus: null,
    });
    const registry = createMemoryConnectionRegistry();
    const pusher = new RecordingPusher();
    const relay = new DataRelay({ store, registry, pusher, scopeOf: (name) => data.scopeOf(name), epoch: 'epoch-1' });
    relay.start();
    const key = (collection: string, scope: 'draft' | 'published' = 'draft') => ({
      workspaceId: workspace.id,
      appId: 'app_one',
      scope,
      collection,
    });
    return { data, owner, registry, pusher, relay, key };
  }

  it('fans one change out to every subscriber of its scope, with consecutive sequence numbers', async () => {
    const { data, owner, pusher, relay, key } = await setup();
    expect(await relay.subscribe('conn-a', 'usr_owner', key('leads'))).toEqual({ epoch: 'epoch-1', seq: 0 });
    await relay.subscribe('conn-b', 'usr_owner', key('leads'));
    await relay.subscribe('conn-c', 'usr_owner', key('tasks'));
    const ada = await data.insert(owner, key('leads'), { name: 'Ada' });
    await data.patch(owner, key('leads'), ada._id, { name: 'Ada L.' });
    await data.insert(owner, key('tasks'), { title: 'Call' });
    await data.remove(owner, key('leads'), ada._id);
    const a = await pusher.waitFor('conn-a', 3);
    const b = await pusher.waitFor('conn-b', 3);
    const c = await pusher.waitFor('conn-c', 1);
    const changes = a.map((message) =>
      message.type === 'data.changed' ? [message.change.operation, message.change.seq, message.change.epoch] : null,
    );
    expect(changes).toEqual([
      ['insert', 1, 'epoch-1'],
      ['update', 2, 'epoch-1'],
      ['delete', 3, 'epoch-1'],
    ]);
    expect(b).toEqual(a);
    expect(c.map((message) => message.type === 'data.changed' && [message.collection, message.change.seq])).toEqual([['tasks', 1]]);
    expect(relay.currentSeq(subscriptionKey(key('leads')))).toBe(3);
    // A late subscriber starts after the current sequence number.
    expect(await relay.subscribe('conn-d', 'usr_owner', key('leads'))).toEqual({ epoch: 'epoch-1', seq: 3 });
    await relay.stop();
  });

  it('drops connections that answer 410 Gone, with all their subscriptions', async () => {
    const { data, owner, registry, pusher, relay, key } = await setup();
    await relay.subscribe('conn-live', 'usr_owner', key('leads'));
    await relay.subscribe('conn-gone', 'usr_owner', key('leads'));
    await relay.subscribe('conn-gone', 'usr_owner', key('tasks'));
    pusher.gone.add('conn-gone');
    await data.insert(owner, key('leads'), { name: 'Ada' });
    await pusher.waitFor('conn-live', 1);
    for (let attempt = 0; attempt < 100 && (await registry.keysFor('conn-gone')).length > 0; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await registry.keysFor('conn-gone')).toEqual([]);
    expect(await registry.connectionsFor(subscriptionKey(key('leads')))).toEqual(['conn-live']);
    await relay.stop();
  });

  it('a restarted relay has a new epoch, so clients know to resynchronize', async () => {
    const { data, owner, pusher, relay, key, registry } = await setup();
    await relay.subscribe('conn-a', 'usr_owner', key('leads'));
    await data.insert(owner, key('leads'), { name: 'Ada' });
    await pusher.waitFor('conn-a', 1);
    await relay.stop();
    const restarted = new DataRelay({ store, registry, pusher, scopeOf: (name) => data.scopeOf(name) });
    restarted.start();
    const position = await restarted.subscribe('conn-a', 'usr_owner', key('leads'));
    expect(position.epoch).not.toBe('epoch-1');
    await data.insert(owner, key('leads'), { name: 'Grace' });
    const messages = await pusher.waitFor('conn-a', 2);
    const last = messages.at(-1);
    expect(last?.type === 'data.changed' && [last.change.epoch === position.epoch, last.change.seq]).toEqual([true, 1]);
    await restarted.stop();
  });

  it('ignores writes that are not app data', async () => {
    const { pusher, relay, key } = await setup();
    await relay.subscribe('conn-a', 'usr_owner', key('leads'));
    await store.collection('unrelated').insertOne({ _id: 'x' });
    expect(relay.deliveredCount()).toBe(0);
    expect(pusher.sent.size).toBe(0);
    await relay.stop();
  });
});
