/**
 * The document store port: a Mongo-shaped API over collections of JSON documents.
 * Adapters: SQLite (embedded default) and MongoDB (DocumentDB, Atlas).
 * Every adapter passes `document-store.contract.ts`.
 */

/** Every stored document has a string `_id`. */
export interface StoredDocument {
  _id: string;
  [key: string]: unknown;
}

/**
 * A Mongo-style filter. Adapters support equality (including array membership), `$eq`, `$ne`,
 * `$in`, `$nin`, `$gt`, `$gte`, `$lt`, `$lte`, `$exists`, `$and`, `$or`, `$nor`, `$not`,
 * `$elemMatch`, `$size`, `$all` and dotted paths. Callers that take filters from clients must
 * validate them against a safe subset first; adapters trust their callers.
 */
export type Filter = Record<string, unknown>;

/** 1 ascending, -1 descending. Ties are always broken by `_id` ascending. */
export type Sort = Record<string, 1 | -1>;

/** Supported update operators. A document's `_id` cannot be changed. */
export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, '' | true | 1>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $addToSet?: Record<string, unknown>;
}

export interface FindOptions {
  sort?: Sort;
  /** At most this many documents; adapters default to all. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`, valid for the same filter and sort. */
  cursor?: string;
}

export interface FindPage<T> {
  items: T[];
  /** Present when more documents match after this page. */
  nextCursor: string | null;
}

export interface IndexSpec {
  /** Field paths in order; 1 or -1. */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  /** Stable index name; derived from keys when absent. */
  name?: string;
}

/** A change to one document, as delivered by the change feed. */
export type ChangeEvent =
  | { operation: 'insert'; collection: string; documentId: string; document: StoredDocument; position: string; time: string }
  | {
      operation: 'update';
      collection: string;
      documentId: string;
      document: StoredDocument;
      before: StoredDocument | null;
      position: string;
      time: string;
    }
  | { operation: 'delete'; collection: string; documentId: string; before: StoredDocument | null; position: string; time: string };

export interface WatchOptions {
  /** Resume after this position (a previous event's `position`); from now when absent. */
  after?: string;
  /** Only these collections; all when absent. */
  collections?: string[];
}

/** A live subscription to the change feed; iterate it, close it when done. */
export interface ChangeStream extends AsyncIterable<ChangeEvent> {
  close(): Promise<void>;
}

export interface DocumentCollection<T extends StoredDocument = StoredDocument> {
  readonly name: string;
  /** Inserts a document; throws `DuplicateKeyError` when `_id` or a unique index collides. */
  insertOne(document: T): Promise<T>;
  /**
   * Inserts documents in order, all or none, in one transaction (one commit on SQLite, a
   * multi-document transaction on MongoDB): a collision throws `DuplicateKeyError` and inserts
   * nothing. Change events follow in the same order.
   */
  insertMany(documents: readonly T[]): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<FindPage<T>>;
  count(filter: Filter): Promise<number>;
  /** Applies an update to the first match (by `_id` order) and returns the new document, or null. */
  updateOne(filter: Filter, update: Update): Promise<T | null>;
  /** Applies an update to every match; returns how many documents actually changed (no-ops are not counted and emit no change). */
  updateMany(filter: Filter, update: Update): Promise<number>;
  /** Deletes the first match and returns it, or null. */
  deleteOne(filter: Filter): Promise<T | null>;
  deleteMany(filter: Filter): Promise<number>;
  /** Creates an index if it does not exist (idempotent). */
  createIndex(spec: IndexSpec): Promise<void>;
}

export interface DocumentStore {
  /** Adapter name for health output, e.g. `sqlite` or `mongodb`. */
  readonly kind: string;
  collection<T extends StoredDocument = StoredDocument>(name: string): DocumentCollection<T>;
  /**
   * Opens the change feed. Events arrive in commit order; positions are resumable.
   * Without `after`, the feed starts at "now": every write acknowledged after `watch()` returns
   * is delivered (the Mongo adapter may also deliver a few seconds of earlier events).
   */
  watch(options?: WatchOptions): ChangeStream;
  /** Flushes and closes; acknowledged writes are durable once their promise resolved. */
  close(): Promise<void>;
}

/** Thrown when an insert or update would violate `_id` or a unique index. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly collection: string,
    readonly index: string,
  ) {
    super(`duplicate key in ${collection} (${index})`);
    this.name = 'DuplicateKeyError';
  }
}

/** Thrown when a cursor is malformed or belongs to another query. */
export class InvalidCursorError extends Error {
  constructor(message = 'invalid cursor') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/** Collection names: letters, digits, underscores and dashes, starting with a letter. */
export const collectionNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Thrown by a change stream whose resume position is older than the feed retains. */
export class ChangePositionExpiredError extends Error {
  constructor(message = 'change position is no longer retained; resynchronize') {
    super(message);
    this.name = 'ChangePositionExpiredError';
  }
}
