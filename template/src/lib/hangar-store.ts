import type { HangarDocument } from './hangar';
import { HangarError } from './hangar-error';
import { matchesFilter, sortDocuments } from './hangar-query';

/** Documents per page when a query sets no `limit` (the server's default too). */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest `limit` a query may ask for (the server's cap too). */
export const MAX_PAGE_SIZE = 200;

/** How deep a document may nest (the server's cap too). */
export const MAX_DOCUMENT_DEPTH = 16;

/** Field names JavaScript gives a meaning (`__proto__` would set a prototype): refused in documents, filters and sorts. */
export const reservedFieldNames: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const collectionNamePattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A query as the store receives it; every part is validated at run time, so typed and untyped callers share it. */
export type StoreQuery = { filter?: unknown; sort?: unknown; limit?: number };

/** A result page: the documents to show and whether more match. */
export type FindResult = { documents: HangarDocument[]; hasMore: boolean };

/** One page of a cursor-paginated listing, shaped like the server's `DataPage`. */
export type ListPage = { items: HangarDocument[]; nextCursor: string | null };

/** A version 4 UUID; falls back to getRandomValues where randomUUID is missing (insecure contexts). */
export function createDocumentId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function assertCollectionName(name: string): void {
  if (!collectionNamePattern.test(name)) {
    throw new HangarError(
      'invalid_collection',
      `Collection names start with a letter and use letters, digits, "-" or "_" (got "${name}").`,
    );
  }
}

/** A deep copy of a JSON-like value; rejects values that cannot be stored (functions, symbols, DOM nodes). */
export function copyDocument(value: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new HangarError('invalid_document', `Documents must be plain data: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function assertDocumentFields(fields: unknown): asserts fields is Record<string, unknown> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new HangarError('invalid_document', 'A document must be an object.');
  }
  // Iterative, so a document nested thousands of levels deep fails here with a clear message.
  const stack: { value: unknown; depth: number }[] = [{ value: fields, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (depth > MAX_DOCUMENT_DEPTH)
      throw new HangarError('invalid_document', `Documents may be nested at most ${MAX_DOCUMENT_DEPTH} levels deep.`);
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        if (reservedFieldNames.has(key))
          throw new HangarError('invalid_document', `"${key}" cannot be a field name: JavaScript reserves it.`);
        if (key.startsWith('$') || key.includes('.'))
          throw new HangarError('invalid_document', `Field names cannot start with "$" or contain "." (got "${key}").`);
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
      }
    }
  }
}

/**
 * The SDK's in-memory document store: collections of documents keyed by `_id`, in insertion order.
 * Each collection has a version number that changes on every write, and listeners that are told
 * about it, which is what React's `useSyncExternalStore` needs. Stored documents are never mutated:
 * a write replaces the document object, so unchanged documents keep their identity across renders.
 */
export class MemoryCollectionStore {
  readonly #collections = new Map<string, Map<string, HangarDocument>>();
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #versions = new Map<string, number>();
  readonly #createId: () => string;

  constructor(options: { createId?: () => string } = {}) {
    this.#createId = options.createId ?? createDocumentId;
  }

  /** Calls `listener` after every write to the collection; returns the unsubscribe function. */
  subscribe(collection: string, listener: () => void): () => void {
    let listeners = this.#listeners.get(collection);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(collection, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(collection);
    };
  }

  /** A number that changes whenever the collection changes. */
  version(collection: string): number {
    return this.#versions.get(collection) ?? 0;
  }

  /** One document, or undefined. */
  get(collection: string, id: string): HangarDocument | undefined {
    assertCollectionName(collection);
    return this.#collections.get(collection)?.get(id);
  }

  /** Documents matching `query`: filtered, sorted, then the first `pages × limit` of them. */
  find(collection: string, query: StoreQuery = {}, pages = 1): FindResult {
    const limit = pageSize(query.limit);
    const matching = this.#matching(collection, query);
    const shown = limit * Math.max(1, Math.floor(pages));
    return { documents: matching.slice(0, shown), hasMore: matching.length > shown };
  }

  /** One page of `limit` matching documents after `cursor` (an opaque string from the previous page). */
  list(collection: string, query: StoreQuery & { cursor?: string } = {}): ListPage {
    const limit = pageSize(query.limit);
    const offset = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isInteger(offset) || offset < 0) throw new HangarError('invalid_query', 'Unknown cursor.');
    const matching = this.#matching(collection, query);
    const end = offset + limit;
    return { items: matching.slice(offset, end), nextCursor: matching.length > end ? String(end) : null };
  }

  #matching(collection: string, query: StoreQuery): HangarDocument[] {
    assertCollectionName(collection);
    const all = [...(this.#collections.get(collection)?.values() ?? [])];
    return sortDocuments(
      all.filter((document) => matchesFilter(document, query.filter)),
      query.sort,
    );
  }

  /** Stores a copy of `fields`, generating `_id` when missing; rejects a duplicate `_id` with `conflict`. */
  insert(collection: string, fields: object): HangarDocument {
    assertCollectionName(collection);
    assertDocumentFields(fields);
    const { _id: givenId, ...rest } = fields;
    const id = givenId === undefined ? this.#createId() : givenId;
    if (typeof id !== 'string' || id.length === 0) throw new HangarError('invalid_document', '_id must be a non-empty string.');
    const documents = this.#documentsOf(collection);
    if (documents.has(id)) throw new HangarError('conflict', `A document with _id "${id}" already exists in "${collection}".`);
    const document: HangarDocument = { _id: id, ...copyDocument(withoutUndefined(rest)) };
    documents.set(id, document);
    this.#changed(collection);
    return document;
  }

  /** Merges `changes` into a document (a field set to undefined is removed); `_id` cannot change. */
  update(collection: string, id: string, changes: object): HangarDocument {
    assertCollectionName(collection);
    assertDocumentFields(changes);
    const current = this.#collections.get(collection)?.get(id);
    if (!current) throw new HangarError('not_found', `No document "${id}" in "${collection}".`);
    const { _id: changedId, ...rest } = changes;
    if (changedId !== undefined && changedId !== id) throw new HangarError('invalid_document', '_id cannot change.');
    const merged: Record<string, unknown> = { ...current, ...copyDocument(rest) };
    const document = { ...withoutUndefined(merged), _id: id };
    this.#documentsOf(collection).set(id, document);
    this.#changed(collection);
    return document;
  }

  /** Deletes a document; returns whether it existed. */
  remove(collection: string, id: string): boolean {
    assertCollectionName(collection);
    const removed = this.#collections.get(collection)?.delete(id) ?? false;
    if (removed) this.#changed(collection);
    return removed;
  }

  #documentsOf(collection: string): Map<string, HangarDocument> {
    let documents = this.#collections.get(collection);
    if (!documents) {
      documents = new Map();
      this.#collections.set(collection, documents);
    }
    return documents;
  }

  #changed(collection: string): void {
    this.#versions.set(collection, this.version(collection) + 1);
    for (const listener of [...(this.#listeners.get(collection) ?? [])]) listener();
  }
}

function pageSize(limit: number | undefined): number {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new HangarError('invalid_query', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

/** The fields without those set to `undefined` (which mean "remove" in an update). */
export function withoutUndefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
