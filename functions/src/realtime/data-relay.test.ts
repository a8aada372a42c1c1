import { afterEach, describe, expect, it } from 'vitest';
import type { DataChange, ServerMessage } from '@hangar/protocol';
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

type Delivered = { collection: string; change: DataChange };

/** The changes in pushed messages, whether they came one by one or batched. */
function changesIn(messages: ServerMessage[]): Delivered[] {
  return messages.flatMap((message) =>
    message.type === 'data.changed'
      ? [{ collection: message.collection, change: message.change }]
      : message.type === 'data.changes'
        ? message.changes.map((change) => ({ collection: message.collection, change }))
        : [],
  );
}

/** A pusher that records messages; connections listed in `gone` answer 410. */
class RecordingPusher implements ConnectionPusher {
  readonly sent = new Map<string, ServerMessage[]>();
  readonly gone = new Set<string>();
  private waiters: (() => void)[] = [];
  /** How long each push takes (0: answers at once). */
  delayMs = 0;
  async post(connectionId: string, data: unknown) {
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.gone.has(connectionId)) return 'gone' as const;
    this.sent.set(connectionId, [...(this.sent.get(connectionId) ?? []), data as ServerMessage]);
    for (const wake of this.waiters.splice(0)) wake();
    return 'sent' as const;
  }
  disconnect() {
    return Promise.resolve();
  }
  /** Waits until a connection has received `count` changes (bounded); answers them in order. */
  async waitFor(connectionId: string, count: number): Promise<Delivered[]> {
    for (let attempt = 0; attempt < 200 && changesIn(this.sent.get(connectionId) ?? []).length < count; attempt++) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return changesIn(this.sent.get(connectionId) ?? []);
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
    const changes = a.map(({ change }) => [change.operation, change.seq, change.epoch]);
    expect(changes).toEqual([
      ['insert', 1, 'epoch-1'],
      ['update', 2, 'epoch-1'],
      ['delete', 3, 'epoch-1'],
    ]);
    expect(b).toEqual(a);
    expect(c.map(({ collection, change }) => [collection, change.seq])).toEqual([['tasks', 1]]);
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
    const delivered = await pusher.waitFor('conn-a', 2);
    const last = delivered.at(-1)?.change;
    expect([last?.epoch === position.epoch, last?.seq]).toEqual([true, 1]);
    await restarted.stop();
  });

  it('batches changes that arrive while a push is in flight, keeping order and numbering', async () => {
    const { data, owner, pusher, relay, key } = await setup();
    await relay.subscribe('conn-a', 'usr_owner', key('leads'));
    pusher.delayMs = 20;
    await Promise.all(Array.from({ length: 30 }, (_, index) => data.insert(owner, key('leads'), { index })));
    const delivered = await pusher.waitFor('conn-a', 30);
    expect(delivered.map(({ change }) => change.seq)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    const messages = pusher.sent.get('conn-a') ?? [];
    expect(messages.length).toBeLessThan(30);
    expect(messages.some((message) => message.type === 'data.changes')).toBe(true);
    await relay.stop();
  });

  it('drops the queue of a connection that falls too far behind, so it sees a gap and resyncs', async () => {
    const { data, owner, pusher, relay, key } = await setup();
    await relay.subscribe('conn-slow', 'usr_owner', key('leads'));
    // The first push hangs while 2,100 changes queue up behind it.
    pusher.delayMs = 5000;
    for (let index = 0; index < 2100; index++) await data.insert(owner, key('leads'), { index });
    pusher.delayMs = 0;
    await data.insert(owner, key('leads'), { index: 'last' });
    const seqs = (await pusher.waitFor('conn-slow', 1)).map(({ change }) => change.seq);
    for (let attempt = 0; attempt < 600 && !seqs.includes(2101); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seqs.splice(0, seqs.length, ...(await pusher.waitFor('conn-slow', 1)).map(({ change }) => change.seq));
    }
    expect(seqs.at(-1)).toBe(2101);
    expect(seqs.length).toBeLessThan(2101);
    expect(seqs.some((seq, index) => index > 0 && seq !== (seqs[index - 1] ?? 0) + 1)).toBe(true);
    await relay.stop();
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
