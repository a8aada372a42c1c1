import {
  BSON,
  MongoClient,
  type ChangeStream as DriverChangeStream,
  type ClientSession,
  type ChangeStreamDocument,
  type ChangeStreamOptions,
  type Collection,
  type CreateIndexesOptions,
  type Document,
  type Filter as DriverFilter,
  type Sort as DriverSort,
  type UpdateFilter,
} from 'mongodb';
import {
  ChangePositionExpiredError,
  DuplicateKeyError,
  collectionNamePattern,
  type ChangeEvent,
  type ChangeStream,
  type DocumentCollection,
  type DocumentStore,
  type Filter,
  type FindOptions,
  type FindPage,
  type IndexSpec,
  type StoredDocument,
  type Update,
  type WatchOptions,
} from '../ports/document-store';
import { InvalidUpdateError } from './document-updates';
import { decodeKeysetCursor, encodeKeysetCursor, keysetFilter, positionOf, sortKeysOf } from './mongo-keyset';

export interface MongoDocumentStoreOptions {
  /** Connection string; the adapter creates (and on close, closes) its own client. */
  uri?: string;
  /** An existing client, shared with the caller; the adapter never closes it. */
  client?: MongoClient;
  databaseName: string;
  /**
   * Record pre- and post-images for the change feed (MongoDB 6.0+: each collection is created
   * with `changeStreamPreAndPostImages`), so update events carry the document as it was right
   * after the update and `before` is filled. Default true; servers without it fall back to
   * looking the document up, and `before: null`.
   */
  changeStreamImages?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Plain JSON: the port speaks JSON documents, so driver types never leak to callers.

/** Converts driver values (ObjectId, Long, Decimal128, Date, Binary, ...) into plain JSON values. */
export function toPlainJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value instanceof Date) return value.toISOString();
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (typeof bsonType === 'string') {
    switch (bsonType) {
      case 'ObjectId':
        return (value as BSON.ObjectId).toHexString();
      case 'Int32':
      case 'Double':
        return (value as BSON.Int32 | BSON.Double).valueOf();
      case 'Long':
        return (value as BSON.Long).toNumber();
      case 'Decimal128':
        return Number((value as BSON.Decimal128).toString());
      case 'Binary':
        return Buffer.from((value as BSON.Binary).buffer).toString('base64');
      default:
        return BSON.EJSON.serialize(value, { relaxed: true });
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = toPlainJson(item);
  return result;
}

const plainDocument = <T>(document: Document): T => toPlainJson(document) as T;

// ---------------------------------------------------------------------------------------------
// Change positions: a resume token's EJSON, base64url-encoded so it is an opaque url-safe string.

/** Encodes a change stream resume token (an event's `_id`) as a port position. */
export function encodeChangePosition(resumeToken: unknown): string {
  return Buffer.from(BSON.EJSON.stringify(resumeToken, { relaxed: false }), 'utf8').toString('base64url');
}

/** Decodes a port position into a resume token; an unreadable one cannot be resumed from. */
export function decodeChangePosition(position: string): Document {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(position)) throw new Error('not base64url');
    const token: unknown = BSON.EJSON.parse(Buffer.from(position, 'base64url').toString('utf8'), { relaxed: false });
    if (typeof token !== 'object' || token === null || Array.isArray(token)) throw new Error('not a document');
    return token;
  } catch {
    throw new ChangePositionExpiredError('change position is not readable; resynchronize');
  }
}

// ---------------------------------------------------------------------------------------------
// Errors: driver errors become the port's typed errors.

const codeOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'unknown error');

function duplicateIndexName(error: unknown): string {
  const match = /index: (\S+)/.exec(messageOf(error));
  if (match?.[1]) return match[1];
  const keyPattern = (error as { keyPattern?: unknown }).keyPattern;
  if (keyPattern && typeof keyPattern === 'object') {
    return Object.entries(keyPattern)
      .map(([path, direction]) => `${path}_${String(direction)}`)
      .join('_');
  }
  return 'unknown';
}

/** ImmutableField, TypeMismatch, PathNotViable, FailedToParse, BadValue, ConflictingUpdateOperators, ... */
const invalidUpdateCodes = new Set([2, 9, 14, 28, 40, 52, 56, 66]);

function translateError(collection: string, error: unknown, duringUpdate = false): unknown {
  const code = codeOf(error);
  if (code === 11000 || code === 11001) return new DuplicateKeyError(collection, duplicateIndexName(error));
  if (duringUpdate && code !== undefined && invalidUpdateCodes.has(code)) return new InvalidUpdateError(messageOf(error));
  return error;
}

/** Codes for a resume point the server no longer has (oplog rolled over, token not found). */
const expiredPositionCodes = new Set([136, 280, 286]);

/** Older servers and DocumentDB refuse image options with "unknown field" or a message naming them. */
const imagesUnsupported = (error: unknown): boolean =>
  codeOf(error) === 40415 || /fullDocument|changeStreamPreAndPostImages|pre-?image|post-?image/i.test(messageOf(error));

const namespaceExistsCode = 48;

// ---------------------------------------------------------------------------------------------
// Collections

const supportedOperators = new Set(['$set', '$unset', '$inc', '$push', '$addToSet']);

/** Drops empty operator objects (a no-op in the port, an error on older servers). */
function driverUpdate(update: Update): UpdateFilter<Document> | null {
  const operations: Record<string, unknown> = {};
  for (const [operator, fields] of Object.entries(update)) {
    if (!supportedOperators.has(operator)) throw new InvalidUpdateError(`unsupported update operator '${operator}'`);
    const assignments: unknown = fields;
    if (assignments && typeof assignments === 'object' && Object.keys(assignments).length > 0) operations[operator] = assignments;
  }
  return Object.keys(operations).length > 0 ? operations : null;
}

const byId: DriverSort = { _id: 1 };

function mongoCollection<T extends StoredDocument>(
  name: string,
  collection: Collection,
  prepare: () => Promise<void>,
  inTransaction: <R>(work: (session: ClientSession) => Promise<R>) => Promise<R>,
): DocumentCollection<T> {
  const query = (filter: Filter) => filter as DriverFilter<Document>;
  const guarded = async <R>(operation: () => Promise<R>, duringUpdate = false): Promise<R> => {
    await prepare();
    try {
      return await operation();
    } catch (error) {
      throw translateError(name, error, duringUpdate);
    }
  };
  const findFirst = async (filter: Filter): Promise<T | null> => {
    const found = await collection.findOne(query(filter), { sort: byId });
    return found ? plainDocument<T>(found) : null;
  };

  return {
    name,
    async insertOne(document) {
      if (typeof document._id !== 'string' || document._id === '') throw new Error('documents need a string _id');
      const copy: Document = structuredClone(document);
      await guarded(() => collection.insertOne(copy));
      return plainDocument<T>(copy);
    },
    async insertMany(documents) {
      if (documents.some((document) => typeof document._id !== 'string' || document._id === '')) {
        throw new Error('documents need a string _id');
      }
      if (documents.length === 0) return [];
      const copies: Document[] = documents.map((document) => structuredClone(document));
      // All or none, as the port promises: an ordered insertMany alone keeps the documents before a collision.
      await guarded(() => inTransaction((session) => collection.insertMany(copies, { ordered: true, session })));
      return copies.map((copy) => plainDocument<T>(copy));
    },
    findOne: (filter) => guarded(() => findFirst(filter)),
    async find(filter, options: FindOptions = {}): Promise<FindPage<T>> {
      const sortKeys = sortKeysOf(options.sort);
      let effective: Filter = filter;
      if (options.cursor !== undefined) {
        const after = keysetFilter(sortKeys, decodeKeysetCursor(sortKeys, options.cursor));
        effective = Object.keys(filter).length === 0 ? after : { $and: [filter, after] };
      }
      const limit = options.limit === undefined ? undefined : Math.max(0, Math.floor(options.limit));
      if (limit === 0) return { items: [], nextCursor: null };
      // One extra document answers "are there more?" without a second query.
      const found = await guarded(() =>
        collection.find(query(effective), { sort: sortKeys, ...(limit === undefined ? {} : { limit: limit + 1 }) }).toArray(),
      );
      const more = limit !== undefined && found.length > limit;
      const items = (more ? found.slice(0, limit) : found).map((document) => plainDocument<T>(document));
      const last = items.at(-1);
      return { items, nextCursor: more && last ? encodeKeysetCursor(sortKeys, positionOf(sortKeys, last)) : null };
    },
    count: (filter) => guarded(() => collection.countDocuments(query(filter))),
    async updateOne(filter, update) {
      const operations = driverUpdate(update);
      if (!operations) return guarded(() => findFirst(filter));
      const updated = await guarded(
        () => collection.findOneAndUpdate(query(filter), operations, { sort: byId, returnDocument: 'after' }),
        true,
      );
      return updated ? plainDocument<T>(updated) : null;
    },
    async updateMany(filter, update) {
      const operations = driverUpdate(update);
      if (!operations) return 0;
      const result = await guarded(() => collection.updateMany(query(filter), operations), true);
      return result.modifiedCount;
    },
    async deleteOne(filter) {
      const removed = await guarded(() => collection.findOneAndDelete(query(filter), { sort: byId }));
      return removed ? plainDocument<T>(removed) : null;
    },
    async deleteMany(filter) {
      const result = await guarded(() => collection.deleteMany(query(filter)));
      return result.deletedCount;
    },
    async createIndex(spec: IndexSpec) {
      // Only set what differs from the defaults, so re-creating the same index stays a no-op.
      const indexOptions: CreateIndexesOptions = {};
      if (spec.unique) indexOptions.unique = true;
      if (spec.name) indexOptions.name = spec.name;
      await guarded(() => collection.createIndex(spec.keys, indexOptions));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Change feed

/** Maps a driver change event to the port's; null for events the port does not carry. */
export function toChangeEvent(change: ChangeStreamDocument): ChangeEvent | null {
  if (!('ns' in change) || !('documentKey' in change)) return null;
  const clusterTime = 'clusterTime' in change ? change.clusterTime : undefined;
  const wallTime = 'wallTime' in change ? change.wallTime : undefined;
  const time = wallTime instanceof Date ? wallTime : clusterTime ? new Date(clusterTime.t * 1000) : new Date();
  const base = {
    collection: change.ns.coll ?? '',
    documentId: String(toPlainJson(change.documentKey._id)),
    position: encodeChangePosition(change._id),
    time: time.toISOString(),
  };
  const before = (document: Document | undefined | null) => (document ? plainDocument<StoredDocument>(document) : null);
  switch (change.operationType) {
    case 'insert':
      return { ...base, operation: 'insert', document: plainDocument<StoredDocument>(change.fullDocument) };
    case 'update':
    case 'replace':
      // With updateLookup the document is null when it was deleted before the lookup ran;
      // the delete event that follows tells subscribers what they need.
      if (!change.fullDocument) return null;
      return {
        ...base,
        operation: 'update',
        document: plainDocument<StoredDocument>(change.fullDocument),
        before: before(change.fullDocumentBeforeChange),
      };
    case 'delete':
      return { ...base, operation: 'delete', before: before(change.fullDocumentBeforeChange) };
    default:
      return null;
  }
}

interface FeedOptions {
  open: (withImages: boolean) => DriverChangeStream<Document, ChangeStreamDocument>;
  images: { supported: boolean };
  /** The current document, for update events that arrive without one. */
  lookup: (collection: string, id: unknown) => Promise<Document | null>;
  onClose: (feed: MongoChangeFeed) => void;
}

/** At most this many undelivered events are buffered before the feed stops reading. */
const bufferLimit = 1_000;

/**
 * Reads the driver's change stream from the moment `watch()` is called (not from the first
 * `next()`), buffering events for however many iterators read it.
 */
class MongoChangeFeed implements ChangeStream {
  private readonly buffer: ChangeEvent[] = [];
  private readonly readers: (() => void)[] = [];
  private resumePump: (() => void) | null = null;
  private driverStream: DriverChangeStream<Document, ChangeStreamDocument> | null = null;
  private failure: { error: unknown } | null = null;
  private ended = false;
  private closed = false;

  constructor(private readonly options: FeedOptions) {
    void this.pump();
  }

  private wakeReaders() {
    for (const wake of this.readers.splice(0)) wake();
  }

  private async closeDriverStream() {
    const stream = this.driverStream;
    this.driverStream = null;
    await stream?.close().catch(() => undefined);
  }

  /** Never rejects: failures are handed to the readers. */
  private async pump(): Promise<void> {
    let withImages = this.options.images.supported;
    let received = false;
    try {
      while (!this.closed) {
        const stream = (this.driverStream ??= this.options.open(withImages));
        let change: ChangeStreamDocument;
        try {
          change = await stream.next();
        } catch (error) {
          if (this.closed) return;
          if (!received && withImages && imagesUnsupported(error)) {
            // Servers before 6.0 and DocumentDB refuse the options: look documents up instead.
            withImages = false;
            this.options.images.supported = false;
            await this.closeDriverStream();
            continue;
          }
          throw error;
        }
        received = true;
        if ((change.operationType === 'update' || change.operationType === 'replace') && !change.fullDocument) {
          // No post-image (images off for this collection): read the document as it is now.
          change.fullDocument = (await this.options.lookup(change.ns.coll, change.documentKey._id)) ?? undefined;
        }
        const event = toChangeEvent(change);
        if (event) {
          this.buffer.push(event);
          this.wakeReaders();
        }
        if (change.operationType === 'invalidate') break;
        while (this.buffer.length >= bufferLimit && !this.closed) {
          await new Promise<void>((resolve) => (this.resumePump = resolve));
        }
      }
    } catch (error) {
      const code = codeOf(error);
      this.failure = { error: code !== undefined && expiredPositionCodes.has(code) ? new ChangePositionExpiredError() : error };
    } finally {
      this.ended = true;
      this.wakeReaders();
      await this.closeDriverStream();
    }
  }

  async next(): Promise<IteratorResult<ChangeEvent>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const event = this.buffer.shift();
      if (event) {
        this.resumePump?.();
        this.resumePump = null;
        return { done: false, value: event };
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => this.readers.push(resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<ChangeEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeReaders();
    this.resumePump?.();
    this.options.onClose(this);
    await this.closeDriverStream();
  }
}

/**
 * The newest cluster time the driver has seen, plus one: starting a stream there includes every
 * write issued after `watch()` returned, although the aggregate that opens the stream is sent
 * asynchronously. Undefined when the driver has not seen one (standalone, fresh client).
 */
function startAfterKnownClusterTime(client: MongoClient): BSON.Timestamp | undefined {
  const topology = (client as unknown as { topology?: { clusterTime?: { clusterTime?: unknown } } }).topology;
  const time = topology?.clusterTime?.clusterTime;
  if (!(time instanceof BSON.Timestamp)) return undefined;
  return new BSON.Timestamp({ t: time.t, i: time.i + 1 });
}

// ---------------------------------------------------------------------------------------------

/** The document store on MongoDB, DocumentDB or Atlas (change feed needs a replica set). */
export function createMongoDocumentStore(options: MongoDocumentStoreOptions): DocumentStore {
  const { uri, databaseName } = options;
  if (!options.client && !uri) throw new Error('createMongoDocumentStore needs a uri or a client');
  const ownsClient = !options.client;
  const client = options.client ?? new MongoClient(uri ?? '');
  const db = client.db(databaseName);
  const feeds = new Set<MongoChangeFeed>();
  const images = { supported: options.changeStreamImages ?? true };
  const prepared = new Map<string, Promise<void>>();
  let closed = false;

  /** Turns on pre- and post-images for a collection once, before its first operation. */
  function prepare(name: string): Promise<void> {
    if (!images.supported) return Promise.resolve();
    let ready = prepared.get(name);
    if (!ready) {
      const setting = { changeStreamPreAndPostImages: { enabled: true } };
      ready = db
        .createCollection(name, setting)
        .then(
          () => undefined,
          (error: unknown) => {
            if (codeOf(error) !== namespaceExistsCode) throw error;
            return db.command({ collMod: name, ...setting }).then(() => undefined);
          },
        )
        .catch((error: unknown) => {
          if (imagesUnsupported(error)) {
            images.supported = false;
          } else if (codeOf(error) === undefined) {
            // No answer from the server (network, selection timeout): fail this operation, retry next time.
            prepared.delete(name);
            throw error;
          }
          // Any other refusal (no collMod privilege, a managed tier forbidding it): this
          // collection goes without images and the feed looks its documents up instead.
        });
      prepared.set(name, ready);
    }
    return ready;
  }

  /** Runs `work` in a multi-document transaction (needs a replica set, as the change feed does). */
  async function inTransaction<R>(work: (session: ClientSession) => Promise<R>): Promise<R> {
    const session = client.startSession();
    try {
      let result: R | undefined;
      await session.withTransaction(async () => {
        result = await work(session);
      });
      return result as R;
    } finally {
      await session.endSession();
    }
  }

  return {
    kind: 'mongodb',
    collection<T extends StoredDocument>(name: string) {
      if (!collectionNamePattern.test(name)) throw new Error(`invalid collection name '${name}'`);
      return mongoCollection<T>(name, db.collection(name), () => prepare(name), inTransaction);
    },
    watch(watchOptions: WatchOptions = {}): ChangeStream {
      const match: Document = { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } };
      if (watchOptions.collections) match['ns.coll'] = { $in: watchOptions.collections };
      const startAt = watchOptions.after === undefined ? startAfterKnownClusterTime(client) : undefined;
      const feed = new MongoChangeFeed({
        images,
        onClose: (closedFeed) => feeds.delete(closedFeed),
        lookup: (collection, id) => db.collection(collection).findOne({ _id: id } as DriverFilter<Document>),
        open(withImages) {
          const streamOptions: ChangeStreamOptions = { maxAwaitTimeMS: 1000 };
          streamOptions.fullDocument = withImages ? 'whenAvailable' : 'updateLookup';
          if (withImages) streamOptions.fullDocumentBeforeChange = 'whenAvailable';
          if (watchOptions.after !== undefined) streamOptions.resumeAfter = decodeChangePosition(watchOptions.after);
          else if (startAt) streamOptions.startAtOperationTime = startAt;
          return db.watch<Document, ChangeStreamDocument>([{ $match: match }], streamOptions);
        },
      });
      feeds.add(feed);
      return feed;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...feeds].map((feed) => feed.close()));
      if (ownsClient) await client.close();
    },
  };
}
