import { randomBytes } from 'node:crypto';
import { Query } from 'mingo';
import { BSON, MongoClient, type ChangeStreamDocument, type ChangeStreamOptions } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangePositionExpiredError, InvalidCursorError, type StoredDocument } from '../ports/document-store';
import { describeDocumentStoreContract } from '../ports/document-store.contract';
import { compareDocuments } from './document-order';
import { createMongoDocumentStore, decodeChangePosition, encodeChangePosition, toChangeEvent, toPlainJson } from './mongo-document-store';
import { decodeKeysetCursor, encodeKeysetCursor, keysetFilter, positionOf, sortKeysOf, type SortKeys } from './mongo-keyset';

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.warn(
    'mongo-document-store: skipped — set MONGODB_URI to a MongoDB/DocumentDB server (replica set, for change streams) to run the document store contract suite against it',
  );
}

const uniqueDatabaseName = () => `hangar_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

describe.skipIf(!uri)('mongo document store against MONGODB_URI', () => {
  const admin = new MongoClient(uri ?? 'mongodb://unused');
  afterAll(() => admin.close());

  describeDocumentStoreContract('mongodb', () => {
    const databaseName = uniqueDatabaseName();
    const store = createMongoDocumentStore({ uri: uri ?? '', databaseName });
    return Promise.resolve({
      store,
      cleanup: async () => {
        await store.close();
        await admin.db(databaseName).dropDatabase();
      },
    });
  });

  it('returns plain JSON even for documents written with driver types, and leaves a shared client open', async () => {
    const databaseName = uniqueDatabaseName();
    const store = createMongoDocumentStore({ client: admin, databaseName });
    expect(store.kind).toBe('mongodb');
    const objectId = new BSON.ObjectId();
    await admin
      .db(databaseName)
      .collection<{ _id: string }>('raw')
      .insertOne({
        _id: 'r1',
        ref: objectId,
        big: BSON.Long.fromNumber(2 ** 40),
        at: new Date('2026-01-02T03:04:05.000Z'),
      } as { _id: string });
    expect(await store.collection('raw').findOne({ _id: 'r1' })).toEqual({
      _id: 'r1',
      ref: objectId.toHexString(),
      big: 2 ** 40,
      at: '2026-01-02T03:04:05.000Z',
    });
    await store.close();
    expect(await admin.db(databaseName).collection('raw').countDocuments({})).toBe(1);
    await admin.db(databaseName).dropDatabase();
  });
});

describe('mongo keyset cursors (no server)', () => {
  const sortKeys = sortKeysOf({ age: -1, name: 1 });

  it('appends _id as the ascending tie-breaker unless the sort names _id', () => {
    expect(sortKeysOf(undefined)).toEqual([['_id', 1]]);
    expect(sortKeys).toEqual([
      ['age', -1],
      ['name', 1],
      ['_id', 1],
    ]);
    expect(sortKeysOf({ _id: -1, team: 1 })).toEqual([
      ['team', 1],
      ['_id', -1],
    ]);
  });

  it('round-trips a position through an opaque url-safe cursor', () => {
    const position = positionOf(sortKeys, { _id: 'p03', age: 41, name: 'Alan' });
    expect(position).toEqual({ values: [41, 'Alan'], id: 'p03' });
    const cursor = encodeKeysetCursor(sortKeys, position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(sortKeys, cursor)).toEqual(position);
  });

  it('stores missing fields and dotted paths as null', () => {
    const keys = sortKeysOf({ 'address.city': 1, age: 1 });
    expect(positionOf(keys, { _id: 'x', address: { zip: '1' } })).toEqual({ values: [null, null], id: 'x' });
    expect(positionOf(keys, { _id: 'y', address: { city: 'Paris' }, age: 3 })).toEqual({ values: ['Paris', 3], id: 'y' });
  });

  it('rejects garbage and cursors made for another sort', () => {
    const cursor = encodeKeysetCursor(sortKeys, { values: [41, 'Alan'], id: 'p03' });
    for (const garbage of [
      '',
      'not-a-cursor',
      '!!!',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"k":1}').toString('base64url'),
    ]) {
      expect(() => decodeKeysetCursor(sortKeys, garbage)).toThrow(InvalidCursorError);
    }
    expect(() => decodeKeysetCursor(sortKeysOf({ age: 1, name: 1 }), cursor)).toThrow(InvalidCursorError);
    expect(() => decodeKeysetCursor(sortKeysOf({ name: 1 }), cursor)).toThrow(InvalidCursorError);
  });

  it('builds an $or range filter: each branch pins the earlier keys and moves past one key', () => {
    expect(keysetFilter(sortKeysOf(undefined), { values: [], id: 'p03' })).toEqual({ $or: [{ _id: { $gt: 'p03' } }] });
    expect(keysetFilter(sortKeysOf({ _id: -1 }), { values: [], id: 'p03' })).toEqual({ $or: [{ _id: { $lt: 'p03' } }] });
    expect(keysetFilter(sortKeys, { values: [41, 'Alan'], id: 'p03' })).toEqual({
      $or: [
        // age descending: smaller numbers, then null/missing (numbers are the lowest non-null type here)
        { $or: [{ age: { $lt: 41 } }, { age: { $eq: null } }] },
        { $and: [{ age: { $eq: 41 } }, { $or: [{ name: { $gt: 'Alan' } }, { name: { $type: ['object', 'array', 'bool', 'date'] } }] }] },
        { $and: [{ age: { $eq: 41 } }, { name: { $eq: 'Alan' } }, { _id: { $gt: 'p03' } }] },
      ],
    });
  });

  it('handles null positions: everything non-null follows ascending, nothing precedes descending', () => {
    expect(keysetFilter(sortKeysOf({ age: 1 }), { values: [null], id: 'p05' })).toEqual({
      $or: [{ age: { $ne: null } }, { $and: [{ age: { $eq: null } }, { _id: { $gt: 'p05' } }] }],
    });
    expect(keysetFilter(sortKeysOf({ age: -1 }), { values: [null], id: 'p05' })).toEqual({
      $or: [{ $and: [{ age: { $eq: null } }, { _id: { $gt: 'p05' } }] }],
    });
  });

  // MongoDB's query semantics (type bracketing, null matching missing) as implemented by mingo,
  // checked against the MongoDB sort order the SQLite adapter uses.
  it('pages through mixed-type data exactly once under Mongo query semantics', () => {
    const values: unknown[] = [undefined, null, 0, 1, 1, 2.5, -3, 'a', 'b', 'B', '', true, false];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = () => values[Math.floor(random() * values.length)];
    const documents: StoredDocument[] = Array.from({ length: 60 }, (_, index) => {
      const document: StoredDocument = { _id: `d${String(index).padStart(2, '0')}` };
      const [a, b, c] = [pick(), pick(), pick()];
      if (a !== undefined) document.a = a;
      if (b !== undefined) document.b = b;
      if (c !== undefined) document.nested = { c };
      return document;
    });
    const sorts = [{ a: 1 }, { a: -1 }, { a: 1, b: -1 }, { b: -1, 'nested.c': 1 }, { 'nested.c': -1, a: 1 }, { _id: -1 }] as const;
    for (const sort of sorts) {
      const keys: SortKeys = sortKeysOf(sort);
      const expected = [...documents].sort((x, y) => compareDocuments(keys, x, y)).map((document) => document._id);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const remaining = cursor ? new Query(keysetFilter(keys, decodeKeysetCursor(keys, cursor))).find(documents).all() : documents;
        const sorted = [...remaining].sort((x, y) => compareDocuments(keys, x as StoredDocument, y as StoredDocument)) as StoredDocument[];
        const items = sorted.slice(0, 7);
        seen.push(...items.map((document) => document._id));
        const last = items.at(-1);
        if (sorted.length <= 7 || !last) break;
        cursor = encodeKeysetCursor(keys, positionOf(keys, last));
      }
      expect(seen, JSON.stringify(sort)).toEqual(expected);
    }
  });
});

describe('mongo change positions and events (no server)', () => {
  it('encodes a resume token as an opaque url-safe position and back', () => {
    const token = { _data: '8266A1B2C3000000012B022C0100296E5A1004' };
    const position = encodeChangePosition(token);
    expect(position).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeChangePosition(position)).toEqual(token);
  });

  it('keeps BSON types inside tokens (DocumentDB-style tokens)', () => {
    const token = { _data: new BSON.Binary(Buffer.from([1, 2, 3])), ts: new BSON.Timestamp({ t: 5, i: 6 }), n: BSON.Long.fromNumber(7) };
    const decoded = decodeChangePosition(encodeChangePosition(token));
    expect(decoded._data).toBeInstanceOf(BSON.Binary);
    expect(decoded.ts).toBeInstanceOf(BSON.Timestamp);
    expect(BSON.EJSON.stringify(decoded, { relaxed: false })).toBe(BSON.EJSON.stringify(token, { relaxed: false }));
  });

  it('treats an unreadable position as one that cannot be resumed from', () => {
    for (const garbage of ['', '12', 'not a position', Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeChangePosition(garbage)).toThrow(ChangePositionExpiredError);
    }
  });

  const ns = { db: 'hangar', coll: 'people' };
  const clusterTime = new BSON.Timestamp({ t: 1_700_000_000, i: 1 });
  const wallTime = new Date('2026-03-04T05:06:07.000Z');

  /** Driver events as the server sends them (test literals do not carry every optional field). */
  const mapped = (event: Record<string, unknown>) => toChangeEvent(event as unknown as ChangeStreamDocument);

  it('maps insert, update, replace and delete events to the port', () => {
    const insert = mapped({
      _id: { _data: 'a1' },
      operationType: 'insert',
      ns,
      documentKey: { _id: 'p1' },
      clusterTime,
      wallTime,
      fullDocument: { _id: 'p1', name: 'Ada', ref: new BSON.ObjectId('65f000000000000000000001') },
    });
    expect(insert).toEqual({
      operation: 'insert',
      collection: 'people',
      documentId: 'p1',
      position: encodeChangePosition({ _data: 'a1' }),
      time: '2026-03-04T05:06:07.000Z',
      document: { _id: 'p1', name: 'Ada', ref: '65f000000000000000000001' },
    });
    const update = mapped({
      _id: { _data: 'a2' },
      operationType: 'update',
      ns,
      documentKey: { _id: 'p1' },
      clusterTime,
      updateDescription: { updatedFields: { name: 'Grace' }, removedFields: [] },
      fullDocument: { _id: 'p1', name: 'Grace' },
      fullDocumentBeforeChange: { _id: 'p1', name: 'Ada' },
    });
    expect(update).toMatchObject({
      operation: 'update',
      document: { _id: 'p1', name: 'Grace' },
      before: { _id: 'p1', name: 'Ada' },
      time: new Date(1_700_000_000_000).toISOString(),
    });
    const replace = mapped({
      _id: { _data: 'a3' },
      operationType: 'replace',
      ns,
      documentKey: { _id: 'p1' },
      clusterTime,
      fullDocument: { _id: 'p1', name: 'New' },
    });
    expect(replace).toMatchObject({ operation: 'update', document: { _id: 'p1', name: 'New' }, before: null });
    const remove = mapped({ _id: { _data: 'a4' }, operationType: 'delete', ns, documentKey: { _id: 'p1' }, clusterTime });
    expect(remove).toMatchObject({ operation: 'delete', collection: 'people', documentId: 'p1', before: null });
  });

  it('skips events the port does not carry, and updates whose document is already gone', () => {
    expect(mapped({ _id: { _data: 'b1' }, operationType: 'drop', ns, clusterTime })).toBeNull();
    expect(mapped({ _id: { _data: 'b2' }, operationType: 'invalidate', clusterTime })).toBeNull();
    expect(
      mapped({
        _id: { _data: 'b3' },
        operationType: 'update',
        ns,
        documentKey: { _id: 'p1' },
        clusterTime,
        updateDescription: { updatedFields: {}, removedFields: [] },
        fullDocument: null,
      }),
    ).toBeNull();
  });

  it('strips driver types into plain JSON', () => {
    expect(
      toPlainJson({
        id: new BSON.ObjectId('65f000000000000000000002'),
        n: BSON.Long.fromNumber(12),
        d: BSON.Decimal128.fromString('1.5'),
        at: new Date(0),
        list: [new BSON.Int32(3)],
      }),
    ).toEqual({ id: '65f000000000000000000002', n: 12, d: 1.5, at: '1970-01-01T00:00:00.000Z', list: [3] });
  });
});

describe('mongo document store construction (no server)', () => {
  it('needs a uri or a client, names itself mongodb, and validates collection names', async () => {
    expect(() => createMongoDocumentStore({ databaseName: 'x' })).toThrow(/uri or a client/);
    const store = createMongoDocumentStore({ uri: 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200', databaseName: 'x' });
    expect(store.kind).toBe('mongodb');
    expect(() => store.collection('bad name"; drop')).toThrow(/invalid collection name/);
    expect(store.collection('people').name).toBe('people');
    await store.close();
  });

  it('surfaces an unreachable server to the change stream reader and closes cleanly', async () => {
    const store = createMongoDocumentStore({ uri: 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200', databaseName: 'x' });
    const stream = store.watch({ collections: ['people'] });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toThrow();
    await stream.close();
    await store.close();
  });

  it('fails operations fast when the server cannot be reached', async () => {
    const store = createMongoDocumentStore({ uri: 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200', databaseName: 'x' });
    await expect(store.collection('people').insertOne({ _id: 'a' })).rejects.toThrow();
    await store.close();
  });

  it('reports an unreadable resume position as expired', async () => {
    const store = createMongoDocumentStore({ uri: 'mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=200', databaseName: 'x' });
    const stream = store.watch({ after: 'garbage!' });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ChangePositionExpiredError);
    await stream.close();
    await store.close();
  });
});

/** A scripted driver change stream: hands out events or errors in order, then waits until closed. */
class ScriptedDriverStream {
  closed = false;
  private rejectPending: ((error: Error) => void) | null = null;
  constructor(private readonly script: (Record<string, unknown> | Error)[]) {}
  next(): Promise<unknown> {
    const step = this.script.shift();
    if (step instanceof Error) return Promise.reject(step);
    if (step) return Promise.resolve(step);
    // Like the driver: a pending read fails once the stream is closed.
    return new Promise((_resolve, reject) => {
      if (this.closed) reject(new Error('ChangeStream is closed'));
      else this.rejectPending = reject;
    });
  }
  close(): Promise<void> {
    this.closed = true;
    this.rejectPending?.(new Error('ChangeStream is closed'));
    return Promise.resolve();
  }
}

function scriptedClient(scripts: (Record<string, unknown> | Error)[][], clusterTime?: BSON.Timestamp) {
  const opened: { pipeline: unknown[]; options: ChangeStreamOptions; stream: ScriptedDriverStream }[] = [];
  const db = {
    watch(pipeline: unknown[], options: ChangeStreamOptions) {
      const stream = new ScriptedDriverStream(scripts.shift() ?? []);
      opened.push({ pipeline, options, stream });
      return stream;
    },
    collection: () => ({ findOne: () => Promise.resolve({ _id: 'p1', name: 'looked up' }) }),
  };
  const client = { db: () => db, topology: clusterTime ? { clusterTime: { clusterTime } } : undefined } as unknown as MongoClient;
  return { client, opened };
}

const ns = { db: 'x', coll: 'people' };
const insertOf = (id: string, token: string) => ({
  _id: { _data: token },
  operationType: 'insert',
  ns,
  documentKey: { _id: id },
  fullDocument: { _id: id },
});

describe('mongo change feed plumbing (scripted driver, no server)', () => {
  it('opens the stream at once, after the newest known cluster time, with images and a collection filter', async () => {
    const { client, opened } = scriptedClient([[insertOf('p1', 't1')]], new BSON.Timestamp({ t: 100, i: 5 }));
    const store = createMongoDocumentStore({ client, databaseName: 'x' });
    const stream = store.watch({ collections: ['people'] });
    expect(opened).toHaveLength(1);
    expect(opened[0]?.pipeline).toEqual([
      { $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] }, 'ns.coll': { $in: ['people'] } } },
    ]);
    expect(opened[0]?.options).toMatchObject({ fullDocument: 'whenAvailable', fullDocumentBeforeChange: 'whenAvailable' });
    expect(opened[0]?.options.startAtOperationTime).toEqual(new BSON.Timestamp({ t: 100, i: 6 }));
    const first = await stream[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({ operation: 'insert', documentId: 'p1', position: encodeChangePosition({ _data: 't1' }) });
    await stream.close();
    expect(opened[0]?.stream.closed).toBe(true);
    await store.close();
  });

  it('resumes after a position with the decoded resume token', async () => {
    const { client, opened } = scriptedClient([[]]);
    const store = createMongoDocumentStore({ client, databaseName: 'x' });
    const stream = store.watch({ after: encodeChangePosition({ _data: 'abc' }) });
    expect(opened[0]?.options.resumeAfter).toEqual({ _data: 'abc' });
    expect(opened[0]?.options.startAtOperationTime).toBeUndefined();
    await stream.close();
    await store.close();
  });

  it('falls back to looking documents up when the server refuses images, and remembers it', async () => {
    const refusal = Object.assign(new Error("BSON field '$changeStream.fullDocumentBeforeChange' is an unknown field."), { code: 40415 });
    const update = {
      _id: { _data: 't2' },
      operationType: 'update',
      ns,
      documentKey: { _id: 'p1' },
      updateDescription: { updatedFields: {}, removedFields: [] },
    };
    const { client, opened } = scriptedClient([[refusal], [update], []]);
    const store = createMongoDocumentStore({ client, databaseName: 'x' });
    const stream = store.watch();
    const event = await stream[Symbol.asyncIterator]().next();
    expect(event.value).toMatchObject({ operation: 'update', document: { _id: 'p1', name: 'looked up' }, before: null });
    expect(opened.map((entry) => entry.options.fullDocument)).toEqual(['whenAvailable', 'updateLookup']);
    expect(opened[1]?.options.fullDocumentBeforeChange).toBeUndefined();
    const later = store.watch();
    expect(opened[2]?.options.fullDocument).toBe('updateLookup');
    await Promise.all([stream.close(), later.close()]);
    await store.close();
  });

  it('reports a lost resume point as ChangePositionExpiredError', async () => {
    const lost = Object.assign(new Error('Resume of change stream was not possible'), { code: 286 });
    const { client } = scriptedClient([[lost]]);
    const store = createMongoDocumentStore({ client, databaseName: 'x' });
    const stream = store.watch({ after: encodeChangePosition({ _data: 'old' }) });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ChangePositionExpiredError);
    await store.close();
  });

  it('ends pending reads when closed, and closes open streams with the store', async () => {
    const { client, opened } = scriptedClient([[], []]);
    const store = createMongoDocumentStore({ client, databaseName: 'x' });
    const first = store.watch();
    const pending = first[Symbol.asyncIterator]().next();
    await first.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    store.watch();
    await store.close();
    expect(opened.every((entry) => entry.stream.closed)).toBe(true);
  });
});
