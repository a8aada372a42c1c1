import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { HangarError, MemoryCollectionStore, appInfo, type CollectionQuery, type NewDocument, type UseCollectionResult } from './hangar';
import { createDocumentId } from './hangar-store';

function storeWithTasks() {
  let counter = 0;
  const store = new MemoryCollectionStore({ createId: () => `id-${++counter}` });
  store.insert('tasks', { title: 'Write brief', priority: 2, tags: ['docs'], owner: { name: 'Ada' } });
  store.insert('tasks', { title: 'Review code', priority: 3, done: true, tags: ['code', 'review'] });
  store.insert('tasks', { title: 'Ship it', priority: 1, owner: { name: 'Grace' } });
  return store;
}

function titles(store: MemoryCollectionStore, query: Parameters<MemoryCollectionStore['find']>[1], pages?: number) {
  return store.find('tasks', query, pages).documents.map((document) => document['title']);
}

describe('MemoryCollectionStore writes', () => {
  it('assigns an _id when missing and keeps a given one', () => {
    const store = new MemoryCollectionStore();
    const generated = store.insert('notes', { text: 'a' });
    expect(generated._id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.insert('notes', { _id: 'mine', text: 'b' })._id).toBe('mine');
    expect(store.get('notes', 'mine')).toEqual({ _id: 'mine', text: 'b' });
  });

  it('rejects a duplicate _id, bad names and fields that are not plain data', () => {
    const store = new MemoryCollectionStore();
    store.insert('notes', { _id: 'x' });
    expect(() => store.insert('notes', { _id: 'x' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => store.insert('no spaces', {})).toThrow(expect.objectContaining({ code: 'invalid_collection' }));
    expect(() => store.insert('notes', { $where: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_document' }));
    expect(() => store.insert('notes', { callback: () => 1 })).toThrow(expect.objectContaining({ code: 'invalid_document' }));
    expect(() => store.insert('notes', { _id: '' })).toThrow(HangarError);
  });

  it('stores a copy, so later changes to the caller’s object do not leak in', () => {
    const store = new MemoryCollectionStore();
    const fields = { _id: 'a', tags: ['one'] };
    store.insert('notes', fields);
    fields.tags.push('two');
    expect(store.get('notes', 'a')?.['tags']).toEqual(['one']);
  });

  it('merges updates into a new object, removes undefined fields and keeps _id', () => {
    const store = storeWithTasks();
    const before = store.get('tasks', 'id-1');
    const after = store.update('tasks', 'id-1', { priority: 5, tags: undefined });
    expect(after).toEqual({ _id: 'id-1', title: 'Write brief', priority: 5, owner: { name: 'Ada' } });
    expect(after).not.toBe(before);
    expect(store.get('tasks', 'id-2')).toBe(store.get('tasks', 'id-2'));
    expect(() => store.update('tasks', 'id-1', { _id: 'other' })).toThrow(expect.objectContaining({ code: 'invalid_document' }));
    expect(() => store.update('tasks', 'missing', { priority: 1 })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('removes documents and reports whether one existed', () => {
    const store = storeWithTasks();
    expect(store.remove('tasks', 'id-2')).toBe(true);
    expect(store.remove('tasks', 'id-2')).toBe(false);
    expect(titles(store, {})).toEqual(['Write brief', 'Ship it']);
  });
});

describe('MemoryCollectionStore queries', () => {
  it('returns documents in insertion order without a sort', () => {
    expect(titles(storeWithTasks(), {})).toEqual(['Write brief', 'Review code', 'Ship it']);
  });

  it('filters by equality, array membership, dotted paths and operators', () => {
    const store = storeWithTasks();
    expect(titles(store, { filter: { done: true } })).toEqual(['Review code']);
    expect(titles(store, { filter: { tags: 'review' } })).toEqual(['Review code']);
    expect(titles(store, { filter: { 'owner.name': 'Grace' } })).toEqual(['Ship it']);
    expect(titles(store, { filter: { owner: { name: 'Ada' } } })).toEqual(['Write brief']);
    expect(titles(store, { filter: { priority: { $gte: 2 } } })).toEqual(['Write brief', 'Review code']);
    expect(titles(store, { filter: { priority: { $gt: 1, $lt: 3 } } })).toEqual(['Write brief']);
    expect(titles(store, { filter: { priority: { $in: [1, 3] } } })).toEqual(['Review code', 'Ship it']);
    expect(titles(store, { filter: { done: { $exists: false } } })).toEqual(['Write brief', 'Ship it']);
    expect(titles(store, { filter: { done: { $ne: true } } })).toEqual(['Write brief', 'Ship it']);
    expect(titles(store, { filter: { $or: [{ priority: 1 }, { done: true }] } })).toEqual(['Review code', 'Ship it']);
    expect(titles(store, { filter: { priority: { $gt: '1' } } })).toEqual([]);
  });

  it('rejects filters outside the safe subset', () => {
    const store = storeWithTasks();
    expect(() => store.find('tasks', { filter: { $where: 'true' } })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
    expect(() => store.find('tasks', { filter: { title: { $regex: '.*' } } })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
    expect(() => store.find('tasks', { filter: { priority: { $in: 1 } } })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
    expect(() => store.find('tasks', { filter: { $or: [] } })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
  });

  it('sorts by one field either way, then by the next to break ties', () => {
    const store = storeWithTasks();
    expect(titles(store, { sort: { priority: 1 } })).toEqual(['Ship it', 'Write brief', 'Review code']);
    expect(titles(store, { sort: { priority: -1 } })).toEqual(['Review code', 'Write brief', 'Ship it']);
    expect(titles(store, { sort: { title: 1 } })).toEqual(['Review code', 'Ship it', 'Write brief']);
    // Missing values sort first ascending; ties keep insertion order.
    expect(titles(store, { sort: { done: 1 } })).toEqual(['Write brief', 'Ship it', 'Review code']);
    store.insert('tasks', { title: 'Another', priority: 1 });
    expect(titles(store, { sort: { priority: 1, title: 1 } })).toEqual(['Another', 'Ship it', 'Write brief', 'Review code']);
    expect(() => store.find('tasks', { sort: { priority: 'asc' } })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
  });

  it('limits results, reports hasMore and grows by pages', () => {
    const store = storeWithTasks();
    expect(store.find('tasks', { sort: { priority: 1 }, limit: 2 })).toMatchObject({ hasMore: true });
    expect(titles(store, { sort: { priority: 1 }, limit: 2 })).toEqual(['Ship it', 'Write brief']);
    expect(store.find('tasks', { limit: 2 }, 2)).toMatchObject({ hasMore: false });
    expect(titles(store, { sort: { priority: 1 }, limit: 2 }, 2)).toHaveLength(3);
    expect(() => store.find('tasks', { limit: 0 })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
    expect(() => store.find('tasks', { limit: 5000 })).toThrow(expect.objectContaining({ code: 'invalid_query' }));
  });
});

describe('MemoryCollectionStore subscriptions', () => {
  it('notifies the collection’s subscribers on every write, and only them', () => {
    const store = new MemoryCollectionStore();
    const notesListener = vi.fn();
    const tasksListener = vi.fn();
    const unsubscribe = store.subscribe('notes', notesListener);
    store.subscribe('tasks', tasksListener);

    const versionBefore = store.version('notes');
    const note = store.insert('notes', { text: 'a' });
    store.update('notes', note._id, { text: 'b' });
    store.remove('notes', note._id);
    store.remove('notes', note._id); // nothing to remove: no notification
    expect(notesListener).toHaveBeenCalledTimes(3);
    expect(tasksListener).not.toHaveBeenCalled();
    expect(store.version('notes')).toBe(versionBefore + 3);

    unsubscribe();
    store.insert('notes', { text: 'c' });
    expect(notesListener).toHaveBeenCalledTimes(3);
  });

  it('does not notify when a write is rejected', () => {
    const store = new MemoryCollectionStore();
    const listener = vi.fn();
    store.subscribe('notes', listener);
    expect(() => store.update('notes', 'missing', {})).toThrow();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('SDK helpers and types', () => {
  it('creates version 4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 50 }, () => createDocumentId()));
    expect(ids.size).toBe(50);
  });

  it('falls back to a default app name', () => {
    expect(appInfo().name).toBe('Hangar app');
  });

  it('types queries and results from the document type', () => {
    interface Contact {
      _id: string;
      name: string;
      age: number;
    }
    expectTypeOf<NewDocument<Contact>>().toEqualTypeOf<{ name: string; age: number } & { _id?: string }>();
    expectTypeOf<UseCollectionResult<Contact>['data']>().toEqualTypeOf<Contact[]>();
    const query: CollectionQuery<Contact> = { filter: { age: { $gte: 18 }, 'address.city': 'Oslo' }, sort: { name: 1 }, limit: 10 };
    expect(query.limit).toBe(10);
    // @ts-expect-error -- a filter value must match the field's type
    const wrongType: CollectionQuery<Contact> = { filter: { age: 'old' } };
    // @ts-expect-error -- sort directions are 1 or -1
    const wrongSort: CollectionQuery<Contact> = { sort: { name: 'asc' } };
    expect([wrongType, wrongSort]).toHaveLength(2);
  });
});
