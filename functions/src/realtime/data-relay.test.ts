import { afterEach, describe, expect, it } from 'vitest';
import type { DataChange, ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { DataService } from '../domain/data-service';
import { builderCollections } from '../domain/records';
import { createServices } from '../domain/services';
import { systemClock } from '../ports/clock';
import { postToEachByPost, PushFailedError, type ConnectionPusher, type PostOutcome } from '../ports/connection-pusher';
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

/**
 * A pusher that records messages; connections listed in `gone` answer 410. While `hold()` is in
 * effect, pushes wait until it is released (a deferred fake instead of a delay).
 */
class RecordingPusher implements ConnectionPusher {
  readonly sent = new Map<string, ServerMessage[]>();
  readonly gone = new Set<string>();
  /** Connections whose pushes fail with a retryable error this many more times. */
  readonly failing = new Map<string, number>();
  readonly disconnected: string[] = [];
  private waiters: (() => void)[] = [];
  private gate: Promise<void> | null = null;
  private pushesStarted = 0;
  async post(connectionId: string, data: unknown) {
    this.pushesStarted++;
    this.wake();
    if (this.gate) await this.gate;
    if (this.gone.has(connectionId)) return 'gone' as const;
    const failures = this.failing.get(connectionId) ?? 0;
    if (failures > 0) {
      this.failing.set(connectionId, failures - 1);
      this.wake();
      throw new PushFailedError('management API unavailable', true, 503);
    }
    this.sent.set(connectionId, [...(this.sent.get(connectionId) ?? []), data as ServerMessage]);
    this.wake();
    return 'sent' as const;
  }
  disconnect(connectionId: string) {
    this.disconnected.push(connectionId);
    this.wake();
    return Promise.resolve();
  }
  /** Makes pushes wait; the returned function lets them (and later ones) through. */
  hold(): () => void {
    let release = () => undefined as void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }
  private wake() {
    for (const wake of this.waiters.splice(0)) wake();
  }
  /** Resolves once `ready()` holds, re-checking after every push (the test's timeout bounds it). */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  /** Waits until a connection has received `count` changes; answers them in order. */
  async waitFor(connectionId: string, count: number): Promise<Delivered[]> {
    await this.until(() => changesIn(this.sent.get(connectionId) ?? []).length >= count);
    return changesIn(this.sent.get(connectionId) ?? []);
  }
  /** Waits until `count` pushes have started (sent or waiting at the gate). */
  started(count: number): Promise<void> {
    return this.until(() => this.pushesStarted >= count);
  }
}

/** The same recording pusher with `postToEach` (each connection's part is a `post`), as the in-process adapter has. */
class RecordingFanOutPusher extends RecordingPusher {
  postToEach(connectionIds: readonly string[], data: unknown): Promise<PostOutcome[]> {
    return postToEachByPost(this, connectionIds, data);
  }
}

describe.each([
  { pushes: 'one post per connection', Pusher: RecordingPusher },
  { pushes: 'one postToEach per change', Pusher: RecordingFanOutPusher },
])('data relay ($pushes)', ({ Pusher }) => {
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
    const pusher = new Pusher();
    const relay = new DataRelay({
      store,
      registry,
      pusher,
      scopeOf: (name) => data.scopeOf(name),
      epoch: 'epoch-1',
      delivery: { sleep: () => Promise.resolve() },
    });
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
    // Sentinel: a second change reaches the live connection only after the first was fully handled.
    await data.insert(owner, key('leads'), { name: 'Grace' });
    await pusher.waitFor('conn-live', 2);
    expect(await registry.keysFor('conn-gone')).toEqual([]);
    expect(await registry.connectionsFor(subscriptionKey(key('leads')))).toEqual(['conn-live']);
    await relay.stop();
  });

  it('retries a transient push failure; when it persists, closes the connection instead of skipping changes', async () => {
    const { data, owner, registry, pusher, relay, key } = await setup();
    await relay.subscribe('conn-flaky', 'usr_owner', key('leads'));
    await relay.subscribe('conn-broken', 'usr_owner', key('leads'));
    pusher.failing.set('conn-flaky', 2);
    pusher.failing.set('conn-broken', 1000);
    await data.insert(owner, key('leads'), { name: 'Ada' });
    expect((await pusher.waitFor('conn-flaky', 1)).map(({ change }) => change.seq)).toEqual([1]);
    await pusher.until(() => pusher.disconnected.includes('conn-broken'));
    expect(pusher.disconnected).toEqual(['conn-broken']);
    // Sentinel: the next change reaches the healthy connection after the broken one was forgotten.
    await data.insert(owner, key('leads'), { name: 'Grace' });
    await pusher.waitFor('conn-flaky', 2);
    expect(await registry.keysFor('conn-broken')).toEqual([]);
    expect(await registry.keysFor('conn-flaky')).toEqual([subscriptionKey(key('leads'))]);
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
    const release = pusher.hold();
    await data.insert(owner, key('leads'), { index: 0 });
    await pusher.started(1);
    // While the first push is held, 29 more changes queue up behind it.
    for (let index = 1; index < 30; index++) await data.insert(owner, key('leads'), { index });
    await relay.untilProcessed(30);
    release();
    const delivered = await pusher.waitFor('conn-a', 30);
    expect(delivered.map(({ change }) => change.seq)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    const messages = pusher.sent.get('conn-a') ?? [];
    expect(messages.map((message) => message.type)).toEqual(['data.changed', 'data.changes']);
    await relay.stop();
  });

  it('drops the queue of a connection that falls too far behind, so it sees a gap and resyncs', async () => {
    const { data, owner, pusher, relay, key } = await setup();
    await relay.subscribe('conn-slow', 'usr_owner', key('leads'));
    // The first push is held while 2,100 changes queue up behind it: the queue overflows once.
    const release = pusher.hold();
    await data.insert(owner, key('leads'), { index: 0 });
    await pusher.started(1);
    for (let index = 1; index <= 2100; index++) await data.insert(owner, key('leads'), { index });
    await relay.untilProcessed(2101);
    release();
    await pusher.until(() => changesIn(pusher.sent.get('conn-slow') ?? []).some(({ change }) => change.seq === 2101));
    const seqs = changesIn(pusher.sent.get('conn-slow') ?? []).map(({ change }) => change.seq);
    // 1 went out; 2–2001 were dropped when the queue was full; 2002–2101 follow: a gap the client resyncs on.
    expect(seqs).toEqual([1, ...Array.from({ length: 100 }, (_, index) => 2002 + index)]);
    await relay.stop();
  });

  it('ignores writes that are not app data', async () => {
    const { data, owner, pusher, relay, key } = await setup();
    await relay.subscribe('conn-a', 'usr_owner', key('leads'));
    await store.collection('unrelated').insertOne({ _id: 'x' });
    await store.collection('d_not_registered').insertOne({ _id: 'y' });
    // Sentinel: the feed is ordered, so once this app write is delivered the others were seen and skipped.
    await data.insert(owner, key('leads'), { name: 'Ada' });
    expect((await pusher.waitFor('conn-a', 1)).map(({ change }) => change.document?.['name'])).toEqual(['Ada']);
    expect(relay.deliveredCount()).toBe(1);
    expect([...pusher.sent.keys()]).toEqual(['conn-a']);
    await relay.stop();
  });
});
