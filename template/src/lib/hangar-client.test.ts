import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppToConsoleMessage, BridgeDocument, BridgeRequest, ConsoleToAppMessage } from './hangar-bridge-protocol';
import { HangarClient, type QuerySnapshot, type WatchHandle } from './hangar-client';
import { HangarError } from './hangar-error';
import { MemoryConsoleTransport } from './hangar-memory-console';
import type { HangarTransport } from './hangar-transport';

/** A scripted console: records what the SDK sends and lets the test answer. */
class FakeConsole implements HangarTransport {
  readonly sent: AppToConsoleMessage[] = [];
  #handler: ((message: ConsoleToAppMessage) => void) | null = null;

  send(message: AppToConsoleMessage): void {
    this.sent.push(message);
  }
  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handler = handler;
    return () => (this.#handler = null);
  }
  push(message: ConsoleToAppMessage): void {
    this.#handler?.(message);
  }
  ready(readOnly = false): void {
    this.push({ hangar: 1, kind: 'ready', appId: 'app1', scope: 'draft', readOnly });
  }
  requests(op?: BridgeRequest['op']): BridgeRequest[] {
    return this.sent.filter((message): message is BridgeRequest => message.kind === 'request' && (!op || message.op === op));
  }
  last(op: BridgeRequest['op']): BridgeRequest {
    const found = this.requests(op).at(-1);
    if (!found) throw new Error(`no ${op} request`);
    return found;
  }
  /** Answers a request, then lets the SDK's promise continuations run. */
  async answer(request: BridgeRequest, result: unknown): Promise<void> {
    this.push({ hangar: 1, kind: 'response', id: request.id, ok: true, result });
    await flush();
  }
  async fail(request: BridgeRequest, code: string, message = code): Promise<void> {
    this.push({ hangar: 1, kind: 'response', id: request.id, ok: false, error: { code, message } });
    await flush();
  }
  changes(collection: string, ...changes: [operation: 'insert' | 'update' | 'delete', document: BridgeDocument | string][]): void {
    this.push({
      hangar: 1,
      kind: 'changes',
      collection,
      changes: changes.map(([operation, document], index) => ({
        operation,
        documentId: typeof document === 'string' ? document : document._id,
        document: typeof document === 'string' ? null : document,
        epoch: 'e1',
        seq: index + 1,
      })),
    });
  }
}

async function flush(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setup(options: { timeoutMs?: number } = {}) {
  const console = new FakeConsole();
  let counter = 0;
  const client = new HangarClient({ transport: console, createId: () => `new-${++counter}`, ...options });
  return { console, client };
}

/** Watches a handle like a mounted hook would; returns a reader of the current snapshot and the release. */
function watch<S>(handle: WatchHandle<S>) {
  const listener = vi.fn();
  const release = handle.subscribe(listener);
  return { get: () => handle.getSnapshot(), listener, release };
}

const ids = (snapshot: QuerySnapshot) => snapshot.data.map((document) => document._id);

const tasks: [BridgeDocument, BridgeDocument, BridgeDocument] = [
  { _id: 'a', title: 'Write', priority: 1, done: false, _updatedAt: '2025-01-01T00:00:00.000Z' },
  { _id: 'b', title: 'Review', priority: 2, done: false, _updatedAt: '2025-01-01T00:00:00.000Z' },
  { _id: 'c', title: 'Ship', priority: 3, done: true, _updatedAt: '2025-01-01T00:00:00.000Z' },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('HangarClient handshake and transport', () => {
  it('says hello, holds requests until ready, then sends them as bridge requests', () => {
    const { console, client } = setup();
    expect(console.sent).toEqual([{ hangar: 1, kind: 'hello' }]);
    const query = watch(client.query('tasks', { filter: { done: false }, limit: 10 }));
    expect(console.requests()).toEqual([]);
    expect(query.get()).toMatchObject({ loading: true, data: [] });

    console.ready();
    expect(console.requests().map((request) => request.op)).toEqual(['subscribe', 'list']);
    expect(console.last('list')).toMatchObject({
      hangar: 1,
      kind: 'request',
      op: 'list',
      collection: 'tasks',
      query: { filter: { done: false }, limit: 10 },
    });
    expect(client.session).toMatchObject({ appId: 'app1', scope: 'draft' });
  });

  it('ignores responses nobody asked for and answers that come twice', async () => {
    const { console, client } = setup();
    console.ready();
    const query = watch(client.query('tasks'));
    await console.answer({ ...console.last('list'), id: 'r999' }, { items: [tasks[2]], nextCursor: null });
    expect(query.get().loading).toBe(true);
    await console.answer(console.last('list'), { items: [tasks[0]], nextCursor: null });
    await console.answer(console.last('list'), { items: [tasks[1]], nextCursor: null });
    expect(ids(query.get())).toEqual(['a']);
  });

  it('fails a request the console does not answer in time with `timeout`, and rolls back a timed-out write', async () => {
    vi.useFakeTimers();
    const { console, client } = setup({ timeoutMs: 10_000 });
    console.ready();
    const query = watch(client.query('tasks'));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(query.get().loading).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(query.get()).toMatchObject({ loading: false, error: { code: 'timeout' } });

    const write = client.insert('tasks', { title: 'Late' });
    const rejected = expect(write).rejects.toMatchObject({ code: 'timeout' });
    await vi.advanceTimersByTimeAsync(10_000);
    await rejected;
  });

  it('uses the default 10 s timeout', async () => {
    vi.useFakeTimers();
    const { client } = setup();
    const query = watch(client.query('tasks'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(query.get().error).toEqual(expect.objectContaining({ code: 'timeout' }));
  });

  it('reports a bad query without asking the console', () => {
    const { console, client } = setup();
    console.ready();
    const query = watch(client.query('tasks', { filter: { $and: [{ a: 1 }, { b: { $regex: 'x' } }] } }));
    expect(query.get()).toMatchObject({ loading: false, error: { code: 'invalid_query' } });
    expect(console.requests()).toEqual([]);
  });
});

describe('HangarClient optimistic writes', () => {
  async function loaded() {
    const context = setup();
    context.console.ready();
    const query = watch(context.client.query('tasks', { sort: { priority: 1 } }));
    await context.console.answer(context.console.last('list'), { items: tasks, nextCursor: null });
    return { ...context, query };
  }

  it('shows an insert at once with a client _id, then reconciles with the server’s document', async () => {
    const { console, client, query } = await loaded();
    const inserted = client.insert('tasks', { title: 'First', priority: 0 });
    expect(query.get()).toMatchObject({ hasPendingWrites: true });
    expect(query.get().data[0]).toEqual({ _id: 'new-1', title: 'First', priority: 0 });
    expect(console.last('insert')).toMatchObject({
      op: 'insert',
      collection: 'tasks',
      data: { _id: 'new-1', title: 'First', priority: 0 },
    });

    const stored = {
      _id: 'new-1',
      title: 'First',
      priority: 0,
      _createdAt: '2025-02-01T00:00:00.000Z',
      _updatedAt: '2025-02-01T00:00:00.000Z',
    };
    await console.answer(console.last('insert'), stored);
    await expect(inserted).resolves.toEqual(stored);
    expect(query.get()).toMatchObject({ hasPendingWrites: false, writeError: null });
    expect(query.get().data[0]).toEqual(stored);
    expect(ids(query.get())).toEqual(['new-1', 'a', 'b', 'c']);
  });

  it('applies updates and removes at once and re-sorts', async () => {
    const { console, client, query } = await loaded();
    const updated = client.update('tasks', 'a', { priority: 9 });
    const removed = client.remove('tasks', 'b');
    expect(ids(query.get())).toEqual(['c', 'a']);
    expect(query.get().data[1]).toMatchObject({ _id: 'a', priority: 9, title: 'Write' });
    await console.answer(console.last('update'), { ...tasks[0], priority: 9, _updatedAt: '2025-03-01T00:00:00.000Z' });
    await console.answer(console.last('remove'), null);
    await Promise.all([updated, removed]);
    expect(ids(query.get())).toEqual(['c', 'a']);
    expect(query.get().hasPendingWrites).toBe(false);
  });

  it('rolls back exactly the rejected write and keeps the other pending ones', async () => {
    const { console, client, query } = await loaded();
    const first = client.update('tasks', 'a', { title: 'Rejected' });
    const firstRequest = console.last('update');
    const second = client.update('tasks', 'b', { title: 'Kept' });
    const third = client.insert('tasks', { title: 'Also kept', priority: 5 });
    expect(query.get().data.map((task) => task['title'])).toEqual(['Rejected', 'Kept', 'Ship', 'Also kept']);

    await console.fail(firstRequest, 'validation_failed', 'title is too long');
    await expect(first).rejects.toEqual(new HangarError('invalid_document', 'title is too long'));
    await expect(first).rejects.toBeInstanceOf(HangarError);
    expect(query.get().data.map((task) => task['title'])).toEqual(['Write', 'Kept', 'Ship', 'Also kept']);
    expect(query.get()).toMatchObject({ hasPendingWrites: true, writeError: { code: 'invalid_document' }, error: null });

    await console.answer(console.last('update'), { ...tasks[1], title: 'Kept' });
    await console.answer(console.last('insert'), { _id: 'new-1', title: 'Also kept', priority: 5 });
    await Promise.all([second, third]);
    expect(query.get().data.map((task) => task['title'])).toEqual(['Write', 'Kept', 'Ship', 'Also kept']);
    expect(query.get()).toMatchObject({ hasPendingWrites: false, writeError: null });
  });

  it('restores a removed document when the removal is rejected, and treats not_found as done', async () => {
    const { console, client, query } = await loaded();
    const removal = client.remove('tasks', 'a');
    expect(ids(query.get())).toEqual(['b', 'c']);
    await console.fail(console.last('remove'), 'forbidden', 'Viewers cannot delete.');
    await expect(removal).rejects.toMatchObject({ code: 'forbidden' });
    expect(ids(query.get())).toEqual(['a', 'b', 'c']);

    const gone = client.remove('tasks', 'c');
    await console.fail(console.last('remove'), 'not_found');
    await expect(gone).resolves.toBeUndefined();
    expect(ids(query.get())).toEqual(['a', 'b']);
  });

  it('rejects invalid writes locally and every write in a read-only session', async () => {
    const { console, client } = setup();
    await expect(client.insert('tasks', { $where: 'x' })).rejects.toMatchObject({ code: 'invalid_document' });
    await expect(client.insert('tasks', { _id: 'has space' })).rejects.toMatchObject({ code: 'invalid_document' });
    await expect(client.update('tasks', 'a', { _id: 'b' })).rejects.toMatchObject({ code: 'invalid_document' });
    console.ready(true);
    await expect(client.insert('tasks', { title: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(console.requests()).toEqual([]);
  });

  it('updates a watched document optimistically', async () => {
    const { console, client } = setup();
    console.ready();
    const doc = watch(client.doc('tasks', 'a'));
    await console.answer(console.last('get'), tasks[0]);
    expect(doc.get()).toMatchObject({ loading: false, data: tasks[0] });
    const update = client.update('tasks', 'a', { done: true, title: undefined });
    expect(doc.get().data).toEqual({ _id: 'a', priority: 1, done: true, _updatedAt: '2025-01-01T00:00:00.000Z' });
    await console.fail(console.last('update'), 'conflict');
    await expect(update).rejects.toMatchObject({ code: 'conflict' });
    expect(doc.get().data).toBe(tasks[0]);
  });
});

describe('HangarClient subscriptions and caching', () => {
  it('shares one subscribe per collection and one entry per identical query; unsubscribes after the last release', async () => {
    const { console, client } = setup();
    console.ready();
    const first = watch(client.query('tasks', { sort: { priority: 1 } }));
    const same = watch(client.query('tasks', { sort: { priority: 1 } }));
    const other = watch(client.query('tasks', { filter: { done: true } }));
    const doc = watch(client.doc('tasks', 'a'));
    const notes = watch(client.query('notes'));
    expect(console.requests('subscribe').map((request) => ('collection' in request ? request.collection : ''))).toEqual(['tasks', 'notes']);
    expect(console.requests('list')).toHaveLength(3);

    await console.answer(console.requests('list')[0]!, { items: tasks, nextCursor: null });
    expect(first.get()).toBe(same.get());
    expect(first.listener).toHaveBeenCalledTimes(1);
    expect(same.listener).toHaveBeenCalledTimes(1);

    first.release();
    same.release();
    other.release();
    await tick();
    expect(console.requests('unsubscribe')).toEqual([]);
    doc.release();
    await tick();
    expect(console.requests('unsubscribe').map((request) => ('collection' in request ? request.collection : ''))).toEqual(['tasks']);
    notes.release();
    await tick();
    expect(console.requests('unsubscribe').map((request) => ('collection' in request ? request.collection : ''))).toEqual([
      'tasks',
      'notes',
    ]);

    // Watching again starts afresh.
    watch(client.query('tasks'));
    expect(console.requests('subscribe')).toHaveLength(3);
  });

  it('keeps the entry when a release is followed at once by a new watcher (React StrictMode remount)', async () => {
    const { console, client } = setup();
    console.ready();
    const handle = client.query('tasks');
    watch(handle).release();
    const again = watch(handle);
    await tick();
    expect(console.requests('subscribe')).toHaveLength(1);
    expect(console.requests('unsubscribe')).toHaveLength(0);
    expect(console.requests('list')).toHaveLength(1);
    again.release();
  });
});

describe('HangarClient when the console refuses a subscription', () => {
  it('shows the refusal as the error of every live query and document of the collection, keeping the data', async () => {
    const { console, client } = setup();
    console.ready();
    const list = watch(client.query('tasks'));
    const doc = watch(client.doc('tasks', 'a'));
    const notes = watch(client.query('notes'));
    await console.answer(console.requests('list')[0]!, { items: tasks, nextCursor: null });
    expect(list.get().error).toBeNull();

    await console.fail(console.requests('subscribe')[0]!, 'forbidden', 'You no longer have access to this app’s data.');
    expect(list.get().error).toMatchObject({ code: 'forbidden', message: 'You no longer have access to this app’s data.' });
    expect(doc.get().error).toMatchObject({ code: 'forbidden' });
    expect(list.get().data.map((task) => task._id)).toEqual(tasks.map((task) => task._id));
    expect(notes.get().error).toBeNull();
  });

  it('reports a subscribe the console never answers as a timeout, and asks again for the next query', async () => {
    vi.useFakeTimers();
    try {
      const { console, client } = setup({ timeoutMs: 1_000 });
      console.ready();
      const list = watch(client.query('tasks'));
      await console.answer(console.last('list'), { items: tasks, nextCursor: null });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(list.get().error).toMatchObject({ code: 'timeout' });

      const second = watch(client.query('tasks', { filter: { done: false } }));
      expect(console.requests('subscribe')).toHaveLength(2);
      await console.answer(console.last('subscribe'), null);
      await console.answer(console.last('list'), { items: [], nextCursor: null });
      expect(list.get().error).toBeNull();
      expect(second.get().error).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a refusal that arrives after the last watcher left', async () => {
    const { console, client } = setup();
    console.ready();
    const list = watch(client.query('tasks'));
    list.release();
    await tick();
    await console.fail(console.requests('subscribe')[0]!, 'forbidden');
    const again = watch(client.query('tasks'));
    expect(again.get().error).toBeNull();
    expect(console.requests('subscribe')).toHaveLength(2);
  });
});

describe('HangarClient refuses field names JavaScript reserves', () => {
  it('rejects __proto__, constructor and prototype in documents, filters and sorts with a clear error', async () => {
    const { console, client } = setup();
    console.ready();
    const withProto = JSON.parse('{"title":"x","__proto__":{"admin":true}}') as object;
    await expect(client.insert('tasks', withProto)).rejects.toMatchObject({ code: 'invalid_document', message: /"__proto__"/ });
    await expect(client.insert('tasks', { title: 'x', meta: { constructor: 1 } })).rejects.toMatchObject({ code: 'invalid_document' });
    await expect(client.update('tasks', 'a', { tags: [{ prototype: 1 }] })).rejects.toMatchObject({ code: 'invalid_document' });
    const deep = JSON.parse('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)) as object;
    await expect(client.insert('tasks', deep)).rejects.toMatchObject({ code: 'invalid_document', message: /nested at most 16/ });
    expect(console.requests('insert')).toHaveLength(0);
    expect(console.requests('update')).toHaveLength(0);

    const protoFilter = watch(client.query('tasks', { filter: JSON.parse('{"__proto__":{"$exists":true}}') as object }));
    expect(protoFilter.get().error).toMatchObject({ code: 'invalid_query', message: /"__proto__" is reserved/ });
    const ctorSort = watch(client.query('tasks', { sort: { 'meta.constructor': 1 } }));
    expect(ctorSort.get().error).toMatchObject({ code: 'invalid_query', message: /"constructor" is reserved/ });
    expect(console.requests('list')).toHaveLength(0);
  });
});

describe('HangarClient live changes', () => {
  async function filtered() {
    const context = setup();
    context.console.ready();
    const query = watch(context.client.query('tasks', { filter: { done: false }, sort: { priority: -1 } }));
    const all = watch(context.client.query('tasks'));
    const doc = watch(context.client.doc('tasks', 'b'));
    await context.console.answer(context.console.requests('list')[0]!, { items: [tasks[1], tasks[0]], nextCursor: null });
    await context.console.answer(context.console.requests('list')[1]!, { items: tasks, nextCursor: null });
    await context.console.answer(context.console.last('get'), tasks[1]);
    return { ...context, query, all, doc };
  }

  it('applies inserts, updates and deletes to every cached query, re-applying filter and sort', async () => {
    const { console, query, all, doc } = await filtered();
    expect(ids(query.get())).toEqual(['b', 'a']);

    console.changes('tasks', ['insert', { _id: 'd', priority: 5, done: false }], ['insert', { _id: 'e', priority: 7, done: true }]);
    expect(ids(query.get())).toEqual(['d', 'b', 'a']);
    expect(ids(all.get())).toEqual(['a', 'b', 'c', 'd', 'e']);

    console.changes('tasks', ['update', { ...tasks[1], done: true, _updatedAt: '2025-04-01T00:00:00.000Z' }]);
    expect(ids(query.get())).toEqual(['d', 'a']);
    expect(doc.get().data).toMatchObject({ _id: 'b', done: true });

    console.changes('tasks', ['update', { ...tasks[0], priority: 6, _updatedAt: '2025-04-01T00:00:00.000Z' }]);
    expect(ids(query.get())).toEqual(['a', 'd']);

    console.changes('tasks', ['delete', 'd'], ['delete', 'b']);
    expect(ids(query.get())).toEqual(['a']);
    expect(ids(all.get())).toEqual(['a', 'c', 'e']);
    expect(doc.get().data).toBeNull();
  });

  it('ignores a stale version of a document and changes of collections nobody watches', async () => {
    const { console, query } = await filtered();
    console.changes('tasks', ['update', { ...tasks[0], title: 'Old', _updatedAt: '2024-01-01T00:00:00.000Z' }]);
    expect(query.get().data[1]).toBe(tasks[0]);
    const before = query.get();
    console.changes('notes', ['insert', { _id: 'n', text: 'x' }]);
    expect(query.get()).toBe(before);
  });

  it('re-lists every query and document of the collection on resync, keeping the data shown meanwhile', async () => {
    const { console, query, all, doc } = await filtered();
    const lists = console.requests('list').length;
    console.push({ hangar: 1, kind: 'resync', collection: 'tasks' });
    expect(console.requests('list')).toHaveLength(lists + 2);
    expect(console.requests('get')).toHaveLength(2);
    expect(ids(query.get())).toEqual(['b', 'a']);
    expect(query.get().loading).toBe(false);

    const [relistFiltered, relistAll] = console.requests('list').slice(-2);
    await console.answer(relistFiltered!, { items: [tasks[0]], nextCursor: null });
    await console.answer(relistAll!, { items: [tasks[0], tasks[2]], nextCursor: null });
    await console.answer(console.last('get'), null);
    expect(ids(query.get())).toEqual(['a']);
    expect(ids(all.get())).toEqual(['a', 'c']);
    expect(doc.get().data).toBeNull();
  });

  it('follows a reload notice (a document too large to push) with a get, and every query ends with the full document', async () => {
    const { console, query, all, doc } = await filtered();
    const gets = console.requests('get').length;
    console.push({ hangar: 1, kind: 'reload', collection: 'tasks', documentId: 'b' });
    const read = console.last('get');
    expect(console.requests('get')).toHaveLength(gets + 1);
    expect(read).toMatchObject({ op: 'get', collection: 'tasks', documentId: 'b' });
    const large = { ...tasks[1], priority: 9, notes: 'x'.repeat(40 * 1024), _updatedAt: '2025-04-01T00:00:00.000Z' };
    await console.answer(read, large);
    expect(ids(query.get())).toEqual(['b', 'a']);
    expect(query.get().data[0]).toEqual(large);
    expect(all.get().data.find((item) => item._id === 'b')).toEqual(large);
    expect(doc.get().data).toEqual(large);
  });

  it('applies a reload notice of a document that is gone by then as a delete, and reloads the queries when the read fails', async () => {
    const { console, query, all } = await filtered();
    console.push({ hangar: 1, kind: 'reload', collection: 'tasks', documentId: 'a' });
    await console.fail(console.last('get'), 'not_found');
    expect(ids(query.get())).toEqual(['b']);
    expect(ids(all.get())).toEqual(['b', 'c']);

    const lists = console.requests('list').length;
    console.push({ hangar: 1, kind: 'reload', collection: 'tasks', documentId: 'c' });
    await console.fail(console.last('get'), 'unavailable');
    expect(console.requests('list')).toHaveLength(lists + 2);
  });

  it('replays changes that arrive while a list is in flight onto its result', async () => {
    const { console, client } = setup();
    console.ready();
    const query = watch(client.query('tasks', { sort: { priority: 1 } }));
    console.changes('tasks', ['insert', { _id: 'z', priority: 0 }], ['delete', 'c']);
    await console.answer(console.last('list'), { items: tasks, nextCursor: null });
    expect(ids(query.get())).toEqual(['z', 'a', 'b']);
  });
});

describe('HangarClient pagination', () => {
  it('loads the next page with the server’s cursor and reports hasMore', async () => {
    const { console, client } = setup();
    console.ready();
    const handle = client.query('tasks', { sort: { priority: 1 }, limit: 2 });
    const query = watch(handle);
    await console.answer(console.last('list'), { items: [tasks[0], tasks[1]], nextCursor: 'cursor-1' });
    expect(query.get()).toMatchObject({ hasMore: true });
    expect(ids(query.get())).toEqual(['a', 'b']);

    // A live insert past the loaded pages belongs to a page not fetched yet.
    console.changes('tasks', ['insert', { _id: 'z', priority: 10 }]);
    expect(ids(query.get())).toEqual(['a', 'b']);

    handle.loadMore();
    handle.loadMore(); // ignored while the page is loading
    expect(console.requests('list')).toHaveLength(2);
    expect(console.last('list')).toMatchObject({ query: { sort: { priority: 1 }, limit: 2, cursor: 'cursor-1' } });
    await console.answer(console.last('list'), { items: [tasks[2], { _id: 'z', priority: 10 }], nextCursor: null });
    expect(ids(query.get())).toEqual(['a', 'b', 'c', 'z']);
    expect(query.get().hasMore).toBe(false);
  });

  it('shows at most pages × limit documents when live inserts add more, and reveals them with loadMore', async () => {
    const { console, client } = setup();
    console.ready();
    const handle = client.query('tasks', { sort: { priority: 1 }, limit: 2 });
    const query = watch(handle);
    await console.answer(console.last('list'), { items: [tasks[0], tasks[1]], nextCursor: null });
    console.changes('tasks', ['insert', { _id: 'z', priority: 0 }]);
    expect(ids(query.get())).toEqual(['z', 'a']);
    expect(query.get().hasMore).toBe(true);
    handle.loadMore();
    expect(ids(query.get())).toEqual(['z', 'a', 'b']);
    expect(query.get().hasMore).toBe(false);
    expect(console.requests('list')).toHaveLength(1);
  });

  it('re-lists as many pages as were loaded on resync', async () => {
    const { console, client } = setup();
    console.ready();
    const handle = client.query('tasks', { limit: 1 });
    const query = watch(handle);
    await console.answer(console.last('list'), { items: [tasks[0]], nextCursor: '1' });
    handle.loadMore();
    await console.answer(console.last('list'), { items: [tasks[1]], nextCursor: '2' });
    expect(ids(query.get())).toEqual(['a', 'b']);
    console.push({ hangar: 1, kind: 'resync', collection: 'tasks' });
    expect(console.last('list')).not.toHaveProperty('query.cursor');
    await console.answer(console.last('list'), { items: [tasks[1]], nextCursor: '1' });
    await console.answer(console.last('list'), { items: [tasks[2]], nextCursor: null });
    expect(console.last('list')).toMatchObject({ query: { cursor: '1' } });
    expect(ids(query.get())).toEqual(['b', 'c']);
  });
});

describe('standalone fallback (in-memory console)', () => {
  it('runs queries, optimistic writes and live updates without a console', async () => {
    const transport = new MemoryConsoleTransport();
    const client = new HangarClient({ transport });
    const open = watch(client.query('todos', { filter: { done: false }, sort: { rank: 1 }, limit: 2 }));
    const all = watch(client.query('todos'));
    await tick();
    expect(open.get()).toMatchObject({ loading: false, data: [], hasMore: false });

    const inserts = [
      client.insert('todos', { rank: 2, done: false }),
      client.insert('todos', { rank: 1, done: false }),
      client.insert('todos', { rank: 3, done: true }),
    ];
    expect(all.get().data).toHaveLength(3);
    expect(all.get().hasPendingWrites).toBe(true);
    const second = (await Promise.all(inserts))[0]!;
    await tick();
    expect(all.get().hasPendingWrites).toBe(false);
    expect(open.get().data.map((todo) => todo['rank'])).toEqual([1, 2]);
    expect(second).toMatchObject({ rank: 2 });
    expect(typeof second['_createdAt']).toBe('string');

    await expect(client.update('todos', 'missing', { done: true })).rejects.toMatchObject({ code: 'not_found' });
    await client.update('todos', second._id, { done: true });
    await tick();
    expect(open.get().data.map((todo) => todo['rank'])).toEqual([1]);

    transport.writeFromElsewhere('todos', (store) => store.insert('todos', { rank: 0, done: false }));
    await tick();
    expect(open.get().data.map((todo) => todo['rank'])).toEqual([0, 1]);
  });
});
