import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChangePositionExpiredError, DuplicateKeyError } from '../../ports/document-store';
import { describeDocumentStoreContract, take } from '../../ports/document-store.contract';
import { createSqliteDocumentStore } from './sqlite-document-store';

describeDocumentStoreContract('sqlite (file, WAL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-sqlite-'));
  const store = createSqliteDocumentStore({ filename: join(dir, 'hangar.db') });
  return Promise.resolve({
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('sqlite document store specifics', () => {
  it('appends exactly one change per write, with the stored documents before and after and an ISO time', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    const items = store.collection('items');
    const stream = store.watch({ collections: ['items'] });
    await items.insertOne({ _id: 'a', tags: ['new path'] });
    await items.insertOne({ _id: 'b', tags: ['known path'], size: 1 });
    await items.insertMany([{ _id: 'c' }, { _id: 'd', nested: { list: [1] } }]);
    await items.updateOne({ _id: 'b' }, { $inc: { size: 1 } });
    expect(await items.updateOne({ _id: 'b' }, { $set: { size: 2 } })).toMatchObject({ size: 2 });
    expect(await items.updateMany({}, { $set: { seen: true } })).toBe(4);
    expect(await items.deleteMany({ _id: { $in: ['c', 'd'] } })).toBe(2);
    await items.deleteOne({ _id: 'a' });
    const events = await take(stream, 12);
    await stream.close();
    expect(events.map((event) => `${event.operation}:${event.documentId}`)).toEqual([
      'insert:a',
      'insert:b',
      'insert:c',
      'insert:d',
      'update:b',
      'update:a',
      'update:b',
      'update:c',
      'update:d',
      'delete:c',
      'delete:d',
      'delete:a',
    ]);
    expect(events[4]).toMatchObject({ before: { _id: 'b', size: 1 }, document: { _id: 'b', size: 2 } });
    expect(events[11]).toMatchObject({ before: { _id: 'a', tags: ['new path'], seen: true } });
    for (const event of events) expect(new Date(event.time).toISOString()).toBe(event.time);
    const positions = events.map((event) => Number(event.position));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(positions).size).toBe(events.length);
    await store.close();
  });

  it('adds the change-feed triggers to a collection table made by an earlier version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-sqlite-'));
    const filename = join(dir, 'hangar.db');
    const earlier = new Database(filename);
    earlier.exec(`CREATE TABLE "c_notes" (id TEXT PRIMARY KEY, doc TEXT NOT NULL); INSERT INTO "c_notes" VALUES ('n0', '{"_id":"n0"}')`);
    earlier.close();
    const store = createSqliteDocumentStore({ filename });
    const notes = store.collection('notes');
    const stream = store.watch({ collections: ['notes'] });
    await notes.insertOne({ _id: 'n1' });
    await notes.deleteOne({ _id: 'n0' });
    const events = await take(stream, 2);
    await stream.close();
    expect(events.map((event) => `${event.operation}:${event.documentId}`)).toEqual(['insert:n1', 'delete:n0']);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps apart collections whose names look like another collection trigger names', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    const stream = store.watch();
    await store.collection('notes').insertOne({ _id: 'n1' });
    await store.collection('notes_insert_change').insertOne({ _id: 'n2' });
    await store.collection('notes_insert').insertOne({ _id: 'n3' });
    const events = await take(stream, 3);
    await stream.close();
    expect(events.map((event) => `${event.collection}:${event.documentId}`)).toEqual([
      'notes:n1',
      'notes_insert_change:n2',
      'notes_insert:n3',
    ]);
    await store.close();
  });

  it('appends no change for a write that fails', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    const items = store.collection('items');
    await items.createIndex({ keys: { slug: 1 }, unique: true });
    await items.insertOne({ _id: 'a', slug: 'one' });
    const stream = store.watch({ collections: ['items'] });
    await expect(items.insertOne({ _id: 'a', tags: ['x'] })).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(items.insertOne({ _id: 'b', slug: 'one' })).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(items.insertMany([{ _id: 'c' }, { _id: 'a' }])).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(items.updateOne({ _id: 'a' }, { $set: { slug: 'one' } })).resolves.toMatchObject({ slug: 'one' });
    await items.insertOne({ _id: 'e', slug: 'two' });
    await expect(items.updateOne({ _id: 'e' }, { $set: { slug: 'one' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    await items.insertOne({ _id: 'f' });
    const events = await take(stream, 2);
    await stream.close();
    expect(events.map((event) => `${event.operation}:${event.documentId}`)).toEqual(['insert:e', 'insert:f']);
    expect(await items.count({})).toBe(3);
    await store.close();
  });

  it('keeps acknowledged writes across a close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-sqlite-'));
    const filename = join(dir, 'hangar.db');
    const first = createSqliteDocumentStore({ filename });
    await first.collection('notes').insertOne({ _id: 'n1', text: 'kept', tags: ['a'] });
    await first.close();
    const second = createSqliteDocumentStore({ filename });
    expect(await second.collection('notes').findOne({ _id: 'n1' })).toEqual({ _id: 'n1', text: 'kept', tags: ['a'] });
    // Array paths are remembered across restarts, so equality still matches array elements.
    expect((await second.collection('notes').find({ tags: 'a' })).items).toHaveLength(1);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the expression index for pushed-down equality', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    const items = store.collection('items');
    await items.createIndex({ keys: { workspaceId: 1, kind: 1 } });
    for (let i = 0; i < 50; i++)
      await items.insertOne({ _id: `i${String(i).padStart(3, '0')}`, workspaceId: `w${i % 5}`, kind: i % 2 ? 'odd' : 'even' });
    const page = await items.find({ workspaceId: 'w1', kind: 'odd' });
    expect(page.items).toHaveLength(5);
    await store.close();
  });

  it('reports a resume position the feed no longer retains', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:', changeRetention: 10 });
    const items = store.collection('items');
    for (let i = 0; i < 1100; i++) await items.insertOne({ _id: `x${i}` });
    const stream = store.watch({ after: '1' });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ChangePositionExpiredError);
    await stream.close();
    await store.close();
  });

  it('refuses collection names that are not identifiers', () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    expect(() => store.collection('bad name"; drop')).toThrow(/invalid collection name/);
    return store.close();
  });
});
