import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChangePositionExpiredError } from '../../ports/document-store';
import { describeDocumentStoreContract } from '../../ports/document-store.contract';
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
