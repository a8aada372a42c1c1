import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DuplicateKeyError,
  InvalidCursorError,
  type ChangeEvent,
  type ChangeStream,
  type DocumentCollection,
  type DocumentStore,
  type Sort,
  type StoredDocument,
} from './document-store';

export interface DocumentStoreFixture {
  store: DocumentStore;
  cleanup: () => Promise<void>;
}

interface Person extends StoredDocument {
  name: string;
  age?: number | null;
  team?: string;
  tags?: string[];
  address?: { city: string; zip?: string };
}

const people: Person[] = [
  { _id: 'p01', name: 'Ada', age: 36, team: 'core', tags: ['math', 'engines'], address: { city: 'London' } },
  { _id: 'p02', name: 'Grace', age: 45, team: 'navy', tags: ['cobol'], address: { city: 'Arlington' } },
  { _id: 'p03', name: 'Alan', age: 41, team: 'core', tags: ['math'], address: { city: 'Manchester' } },
  { _id: 'p04', name: 'Edsger', age: 72, team: 'core', tags: [] },
  { _id: 'p05', name: 'Barbara', age: null, team: 'clu' },
  { _id: 'p06', name: 'Ken', team: 'unix', tags: ['c', 'unix'] },
  { _id: 'p07', name: 'Dennis', age: 41, team: 'unix', tags: ['c'] },
];

/** Pulls `count` events from a change stream (awaits them; no timing assumptions). */
export async function take(stream: ChangeStream, count: number): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  while (events.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    events.push(result.value);
  }
  return events;
}

const ids = (documents: StoredDocument[]) => documents.map((document) => document._id);

/** The one contract every DocumentStore adapter passes. */
export function describeDocumentStoreContract(adapterName: string, factory: () => Promise<DocumentStoreFixture>) {
  describe(`DocumentStore contract: ${adapterName}`, () => {
    let fixture: DocumentStoreFixture;
    let persons: DocumentCollection<Person>;

    beforeEach(async () => {
      fixture = await factory();
      persons = fixture.store.collection<Person>('people');
      for (const person of people) await persons.insertOne(person);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    describe('insert and read', () => {
      it('returns what was inserted and finds it by _id', async () => {
        expect(await persons.findOne({ _id: 'p01' })).toEqual(people[0]);
        expect(await persons.findOne({ _id: 'nope' })).toBeNull();
      });
      it('hands out copies: mutating a result changes nothing stored', async () => {
        const found = await persons.findOne({ _id: 'p02' });
        if (!found) throw new Error('missing');
        found.name = 'changed';
        expect((await persons.findOne({ _id: 'p02' }))?.name).toBe('Grace');
      });
      it('rejects a duplicate _id with DuplicateKeyError', async () => {
        await expect(persons.insertOne({ _id: 'p01', name: 'again' })).rejects.toBeInstanceOf(DuplicateKeyError);
      });
      it('keeps collections apart', async () => {
        const other = fixture.store.collection('other');
        await other.insertOne({ _id: 'p01', name: 'elsewhere' });
        expect((await persons.findOne({ _id: 'p01' }))?.name).toBe('Ada');
        expect(await other.count({})).toBe(1);
      });
      it('insertMany inserts in order and answers copies of what it stored', async () => {
        const inserted = await persons.insertMany([
          { _id: 'm1', name: 'Mary', team: 'core' },
          { _id: 'm2', name: 'Hedy', tags: ['radio'] },
        ]);
        expect(inserted).toEqual([
          { _id: 'm1', name: 'Mary', team: 'core' },
          { _id: 'm2', name: 'Hedy', tags: ['radio'] },
        ]);
        expect(ids((await persons.find({ _id: { $in: ['m1', 'm2'] } })).items)).toEqual(['m1', 'm2']);
        expect(ids((await persons.find({ tags: 'radio' })).items)).toEqual(['m2']);
        expect(await persons.insertMany([])).toEqual([]);
      });
      it('insertMany is all or none: a collision inserts nothing', async () => {
        await expect(
          persons.insertMany([
            { _id: 'm3', name: 'new' },
            { _id: 'p01', name: 'collides' },
            { _id: 'm4', name: 'after' },
          ]),
        ).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await persons.count({})).toBe(people.length);
        expect(await persons.findOne({ _id: 'm3' })).toBeNull();
        expect((await persons.findOne({ _id: 'p01' }))?.name).toBe('Ada');
      });
      it('counts equality filters exactly, whatever type the stored value has', async () => {
        await persons.insertOne({ _id: 'x1', name: 'Typed', team: '41' });
        await persons.insertOne({ _id: 'x2', name: 'Nested', address: { city: 'London', zip: 'N1' } });
        await persons.insertOne({ _id: 'x3', name: 'Object team', team: { name: 'core' } } as unknown as Person);
        expect(await persons.count({ team: 'core' })).toBe(3);
        expect(await persons.count({ team: '41' })).toBe(1);
        expect(await persons.count({ age: 41 })).toBe(2);
        expect(await persons.count({ team: 'core', age: 41 })).toBe(1);
        expect(await persons.count({ 'address.city': 'London' })).toBe(2);
        expect(await persons.count({ _id: 'p01' })).toBe(1);
        expect(await persons.count({ team: '{"name":"core"}' })).toBe(0);
        await persons.createIndex({ keys: { team: 1 } });
        expect(await persons.count({ team: 'core' })).toBe(3);
      });
    });

    describe('filters', () => {
      const cases: [string, Record<string, unknown>, string[]][] = [
        ['equality', { team: 'core' }, ['p01', 'p03', 'p04']],
        ['equality matches array elements', { tags: 'math' }, ['p01', 'p03']],
        ['dotted paths', { 'address.city': 'London' }, ['p01']],
        ['$eq', { age: { $eq: 41 } }, ['p03', 'p07']],
        ['$ne includes missing fields', { team: { $ne: 'core' } }, ['p02', 'p05', 'p06', 'p07']],
        ['$in', { team: { $in: ['navy', 'clu'] } }, ['p02', 'p05']],
        ['$nin', { team: { $nin: ['core', 'unix'] } }, ['p02', 'p05']],
        ['$gt on numbers ignores null and missing', { age: { $gt: 41 } }, ['p02', 'p04']],
        ['$gte and $lte together', { age: { $gte: 36, $lte: 41 } }, ['p01', 'p03', 'p07']],
        ['$lt', { age: { $lt: 40 } }, ['p01']],
        ['$lt on strings', { name: { $lt: 'B' } }, ['p01', 'p03']],
        ['$exists true', { age: { $exists: true } }, ['p01', 'p02', 'p03', 'p04', 'p05', 'p07']],
        ['$exists false', { age: { $exists: false } }, ['p06']],
        ['null matches null and missing', { age: null }, ['p05', 'p06']],
        ['$and', { $and: [{ team: 'core' }, { age: { $gt: 40 } }] }, ['p03', 'p04']],
        ['$or', { $or: [{ team: 'navy' }, { age: 72 }] }, ['p02', 'p04']],
        ['$or with an unindexable branch', { $or: [{ team: 'navy' }, { tags: { $size: 0 } }] }, ['p02', 'p04']],
        ['$in on array fields', { tags: { $in: ['cobol', 'unix'] } }, ['p02', 'p06']],
        ['$elemMatch', { tags: { $elemMatch: { $eq: 'c' } } }, ['p06', 'p07']],
        ['_id $in', { _id: { $in: ['p03', 'p01', 'zz'] } }, ['p01', 'p03']],
        ['empty filter', {}, ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07']],
      ];
      for (const [label, filter, expected] of cases) {
        it(label, async () => {
          const page = await persons.find(filter);
          expect(ids(page.items)).toEqual(expected);
          expect(await persons.count(filter)).toBe(expected.length);
        });
      }
      it('findOne returns the first match in _id order', async () => {
        expect((await persons.findOne({ team: 'unix' }))?._id).toBe('p06');
      });
      it('indexes do not change answers', async () => {
        await persons.createIndex({ keys: { team: 1, age: -1 } });
        await persons.createIndex({ keys: { tags: 1 } });
        expect(ids((await persons.find({ team: 'core', age: { $gt: 40 } })).items)).toEqual(['p03', 'p04']);
        expect(ids((await persons.find({ tags: 'c' })).items)).toEqual(['p06', 'p07']);
      });
    });

    describe('sort, limit and cursors', () => {
      it('sorts with _id as the tie-breaker', async () => {
        const page = await persons.find({ age: { $exists: true } }, { sort: { age: -1 } });
        expect(ids(page.items)).toEqual(['p04', 'p02', 'p03', 'p07', 'p01', 'p05']);
      });
      it('sorts by several keys and by dotted paths', async () => {
        expect(ids((await persons.find({}, { sort: { team: 1, name: -1 } })).items)).toEqual([
          'p05',
          'p04',
          'p03',
          'p01',
          'p02',
          'p06',
          'p07',
        ]);
        expect(ids((await persons.find({ address: { $exists: true } }, { sort: { 'address.city': 1 } })).items)).toEqual([
          'p02',
          'p01',
          'p03',
        ]);
      });
      it('limits and reports whether more remain', async () => {
        const page = await persons.find({}, { limit: 3 });
        expect(ids(page.items)).toEqual(['p01', 'p02', 'p03']);
        expect(page.nextCursor).toEqual(expect.any(String));
        const all = await persons.find({}, { limit: 7 });
        expect(all.nextCursor).toBeNull();
      });
      const sorts: (Sort | undefined)[] = [undefined, { _id: -1 }, { age: 1 }, { team: -1, name: 1 }];
      for (const sort of sorts) {
        it(`pages through every document exactly once (sort ${JSON.stringify(sort)})`, async () => {
          const expected = ids((await persons.find({}, sort ? { sort } : {})).items);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 10; page++) {
            const result = await persons.find({}, { limit: 2, ...(sort ? { sort } : {}), ...(cursor ? { cursor } : {}) });
            seen.push(...ids(result.items));
            if (!result.nextCursor) break;
            cursor = result.nextCursor;
          }
          expect(seen).toEqual(expected);
          expect(new Set(seen).size).toBe(people.length);
        });
      }
      it('a cursor survives inserts before the position', async () => {
        const first = await persons.find({}, { limit: 3 });
        await persons.insertOne({ _id: 'p00', name: 'Early' });
        const second = await persons.find({}, { limit: 3, cursor: first.nextCursor ?? '' });
        expect(ids(second.items)).toEqual(['p04', 'p05', 'p06']);
      });
      it('rejects garbage and foreign cursors', async () => {
        await expect(persons.find({}, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
        const byAge = await persons.find({}, { sort: { age: 1 }, limit: 2 });
        await expect(persons.find({}, { sort: { name: 1 }, cursor: byAge.nextCursor ?? '' })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('updates', () => {
      it('$set creates nested paths and returns the new document', async () => {
        const updated = await persons.updateOne({ _id: 'p04' }, { $set: { 'address.city': 'Austin', age: 73 } });
        expect(updated).toMatchObject({ _id: 'p04', age: 73, address: { city: 'Austin' } });
        expect(await persons.findOne({ _id: 'p04' })).toEqual(updated);
      });
      it('$unset removes fields', async () => {
        await persons.updateOne({ _id: 'p01' }, { $unset: { age: '', 'address.city': '' } });
        const found = await persons.findOne({ _id: 'p01' });
        expect(found).not.toHaveProperty('age');
        expect(found?.address).toEqual({});
      });
      it('$inc adds, and creates missing fields', async () => {
        expect((await persons.updateOne({ _id: 'p01' }, { $inc: { age: 2 } }))?.age).toBe(38);
        expect((await persons.updateOne({ _id: 'p06' }, { $inc: { age: 5 } }))?.age).toBe(5);
      });
      it('$push appends (with $each) and $addToSet skips duplicates', async () => {
        await persons.updateOne({ _id: 'p02' }, { $push: { tags: { $each: ['navy', 'cobol'] } } });
        expect((await persons.findOne({ _id: 'p02' }))?.tags).toEqual(['cobol', 'navy', 'cobol']);
        await persons.updateOne({ _id: 'p03' }, { $addToSet: { tags: { $each: ['math', 'crypto'] } } });
        expect((await persons.findOne({ _id: 'p03' }))?.tags).toEqual(['math', 'crypto']);
        await persons.updateOne({ _id: 'p05' }, { $push: { tags: 'first' } });
        expect((await persons.findOne({ _id: 'p05' }))?.tags).toEqual(['first']);
      });
      it('updates the first match in _id order, or answers null', async () => {
        expect((await persons.updateOne({ team: 'unix' }, { $set: { lead: true } }))?._id).toBe('p06');
        expect(await persons.updateOne({ team: 'none' }, { $set: { lead: true } })).toBeNull();
      });
      it('updateMany reports how many changed', async () => {
        expect(await persons.updateMany({ team: 'core' }, { $set: { reviewed: true } })).toBe(3);
        expect(await persons.count({ reviewed: true })).toBe(3);
      });
      it('refuses to change _id', async () => {
        await expect(persons.updateOne({ _id: 'p01' }, { $set: { _id: 'x' } })).rejects.toThrow();
        expect(await persons.findOne({ _id: 'p01' })).toEqual(people[0]);
      });
      it('a write that would break a unique index fails and changes nothing', async () => {
        await persons.createIndex({ keys: { name: 1 }, unique: true, name: 'name_unique' });
        await persons.createIndex({ keys: { name: 1 }, unique: true, name: 'name_unique' });
        await expect(persons.insertOne({ _id: 'p99', name: 'Ada' })).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(persons.updateOne({ _id: 'p02' }, { $set: { name: 'Ada' } })).rejects.toBeInstanceOf(DuplicateKeyError);
        expect((await persons.findOne({ _id: 'p02' }))?.name).toBe('Grace');
        expect(await persons.count({})).toBe(people.length);
      });
      it('compound unique indexes allow the same value in another combination', async () => {
        const members = fixture.store.collection('members');
        await members.createIndex({ keys: { workspaceId: 1, userId: 1 }, unique: true });
        await members.insertOne({ _id: 'm1', workspaceId: 'w1', userId: 'u1' });
        await members.insertOne({ _id: 'm2', workspaceId: 'w2', userId: 'u1' });
        await expect(members.insertOne({ _id: 'm3', workspaceId: 'w1', userId: 'u1' })).rejects.toBeInstanceOf(DuplicateKeyError);
      });
    });

    describe('deletes', () => {
      it('deleteOne returns the removed document', async () => {
        expect((await persons.deleteOne({ _id: 'p03' }))?.name).toBe('Alan');
        expect(await persons.findOne({ _id: 'p03' })).toBeNull();
        expect(await persons.deleteOne({ _id: 'p03' })).toBeNull();
      });
      it('deleteMany reports how many went', async () => {
        expect(await persons.deleteMany({ team: 'unix' })).toBe(2);
        expect(await persons.count({})).toBe(5);
      });
    });

    describe('change feed', () => {
      it('delivers inserts, updates and deletes in commit order with full documents', async () => {
        const stream = fixture.store.watch({ collections: ['people'] });
        await persons.insertOne({ _id: 'p10', name: 'Margaret' });
        await persons.updateOne({ _id: 'p10' }, { $set: { team: 'apollo' } });
        await persons.deleteOne({ _id: 'p10' });
        const events = await take(stream, 3);
        await stream.close();
        expect(events.map((event) => event.operation)).toEqual(['insert', 'update', 'delete']);
        expect(events.every((event) => event.collection === 'people' && event.documentId === 'p10')).toBe(true);
        expect(events[0]).toMatchObject({ document: { _id: 'p10', name: 'Margaret' } });
        expect(events[1]).toMatchObject({ document: { _id: 'p10', name: 'Margaret', team: 'apollo' } });
        expect(new Set(events.map((event) => event.position)).size).toBe(3);
      });
      it('resumes after a position with nothing lost and nothing repeated', async () => {
        const stream = fixture.store.watch({ collections: ['people'] });
        await persons.insertOne({ _id: 'q1', name: 'one' });
        await persons.insertOne({ _id: 'q2', name: 'two' });
        const [first] = await take(stream, 1);
        await stream.close();
        await persons.insertOne({ _id: 'q3', name: 'three' });
        const resumed = fixture.store.watch({ collections: ['people'], after: first?.position ?? '' });
        const rest = await take(resumed, 2);
        await resumed.close();
        expect(rest.map((event) => event.documentId)).toEqual(['q2', 'q3']);
      });
      it('delivers the inserts of one insertMany in order', async () => {
        const stream = fixture.store.watch({ collections: ['people'] });
        await persons.insertMany([
          { _id: 'b1', name: 'one' },
          { _id: 'b2', name: 'two' },
          { _id: 'b3', name: 'three' },
        ]);
        const events = await take(stream, 3);
        await stream.close();
        expect(events.map((event) => `${event.operation}:${event.documentId}`)).toEqual(['insert:b1', 'insert:b2', 'insert:b3']);
      });
      it('filters by collection', async () => {
        const stream = fixture.store.watch({ collections: ['people'] });
        await fixture.store.collection('other').insertOne({ _id: 'o1' });
        await persons.insertOne({ _id: 'p11', name: 'Only me' });
        const [event] = await take(stream, 1);
        await stream.close();
        expect(event?.documentId).toBe('p11');
      });
      it('ends iteration when closed', async () => {
        const stream = fixture.store.watch();
        const pending = take(stream, 1);
        await stream.close();
        expect(await pending).toEqual([]);
      });
    });
  });
}
