/**
 * Hangar app SDK: the one module a generated app imports to read and write its data.
 *
 * Collections hold JSON documents with a string `_id`. Components subscribe with
 * `useCollection(name, query?)` or `useDoc(name, id)` and re-render whenever any writer changes
 * the data they show; writes (`insert`, `update`, `remove`) apply at once and return promises.
 *
 * Transport today: an in-memory store that lives as long as the page (data resets on reload).
 * The live, server-backed transport — a postMessage bridge to the Hangar console, which holds the
 * WebSocket subscription, applies writes optimistically and rolls them back on rejection — arrives
 * with the live-data issue. The hook signatures and types in this file stay the same, so app code
 * written against them keeps working unchanged.
 */
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { HangarError } from './hangar-error';
import { MemoryCollectionStore } from './hangar-store';

export { HangarError, type HangarErrorCode } from './hangar-error';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MemoryCollectionStore } from './hangar-store';

/** A stored document: any JSON object with a string `_id`. */
export type HangarDocument = { _id: string; [key: string]: unknown };

/** The least a document type must have; lets apps use their own `type`s or `interface`s. */
export type DocumentShape = { _id: string };

/** Operators a filter may apply to one field (a safe subset of MongoDB's query language). */
export type FieldOperators<V> = {
  $eq?: V;
  $ne?: V;
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $in?: readonly V[];
  $nin?: readonly V[];
  $exists?: boolean;
};

/** A field matches a plain value by equality (or, for array fields, by containing it), or a set of operators. */
export type FieldCondition<V> = V | FieldOperators<V>;

/**
 * A Mongo-style filter: `{ status: 'open', priority: { $gte: 2 } }`, `{ $or: [{ a: 1 }, { b: 2 }] }`,
 * dotted paths into nested objects (`{ 'author.name': 'Ada' }`). Anything else (`$regex`, `$where`…) is rejected.
 */
export type CollectionFilter<T> = { [K in keyof T & string]?: FieldCondition<T[K]> } & {
  [path: `${string}.${string}`]: FieldCondition<unknown>;
} & {
  $and?: CollectionFilter<T>[];
  $or?: CollectionFilter<T>[];
};

/** Sort order, Mongo-style: `{ createdAt: -1 }` (newest first). Later keys break ties of earlier ones. */
export type CollectionSort<T> = { [K in keyof T & string]?: 1 | -1 };

/** What `useCollection` reads: which documents, in which order, how many per page. */
export type CollectionQuery<T = HangarDocument> = {
  filter?: CollectionFilter<T>;
  sort?: CollectionSort<T>;
  /** Page size: documents per page (default {@link DEFAULT_PAGE_SIZE}, at most {@link MAX_PAGE_SIZE}); `loadMore()` adds a page. */
  limit?: number;
};

/** The fields of `T` without `_id` (works with index signatures, unlike `Omit`). */
type WithoutId<T> = { [K in keyof T as K extends '_id' ? never : K]: T[K] };

/** A document to insert: `_id` is optional and generated when missing. */
export type NewDocument<T> = WithoutId<T> & { _id?: string };

/** Fields to change; a field set to `undefined` is removed. `_id` never changes. */
export type DocumentChanges<T> = Partial<WithoutId<T>>;

export type UseCollectionResult<T> = {
  /** The matching documents, in query order; the same array until the data changes. */
  data: T[];
  /** True until the first result arrives. */
  loading: boolean;
  /** Why the query failed (e.g. an unsupported filter), or null. Write failures reject their promise instead. */
  error: HangarError | null;
  /** Adds a document and resolves with it as stored (with its `_id`). */
  insert: (document: NewDocument<T>) => Promise<T>;
  /** Merges `changes` into the document and resolves with the result; rejects with `not_found`. */
  update: (id: string, changes: DocumentChanges<T>) => Promise<T>;
  /** Deletes the document; removing a missing document is not an error. */
  remove: (id: string) => Promise<void>;
  /** True while a write has been applied locally but not yet confirmed by the server. */
  hasPendingWrites: boolean;
  /** Extends the result by one more page of `limit` documents. */
  loadMore: () => void;
  /** True when more documents match than are shown. */
  hasMore: boolean;
};

export type UseDocResult<T> = {
  /** The document, or null while loading, when it does not exist or when `id` is empty. */
  data: T | null;
  loading: boolean;
  error: HangarError | null;
  update: (changes: DocumentChanges<T>) => Promise<T>;
  remove: () => Promise<void>;
  hasPendingWrites: boolean;
};

/** The store behind the hooks; replaced by the console bridge when the live transport arrives. */
const store = new MemoryCollectionStore();

/** Runs a synchronous store write as a promise, so callers already handle the async, server-backed version. */
function runWrite<R>(write: () => R): Promise<R> {
  try {
    return Promise.resolve(write());
  } catch (error) {
    return Promise.reject(HangarError.from(error));
  }
}

function useCollectionVersion(name: string): number {
  const subscribe = useCallback((listener: () => void) => store.subscribe(name, listener), [name]);
  const getVersion = () => store.version(name);
  return useSyncExternalStore(subscribe, getVersion, getVersion);
}

/**
 * Live documents of one collection: `const { data, insert } = useCollection<Task>('tasks', { sort: { createdAt: -1 } })`.
 * Every component using the same collection re-renders when any of them writes.
 */
export function useCollection<T extends DocumentShape = HangarDocument>(
  name: string,
  query: CollectionQuery<T> = {},
): UseCollectionResult<T> {
  const version = useCollectionVersion(name);
  const queryKey = JSON.stringify([name, query.filter ?? null, query.sort ?? null, query.limit ?? null]);
  // A different query starts again from its first page.
  const [pages, setPages] = useState({ queryKey, count: 1 });
  const pageCount = pages.queryKey === queryKey ? pages.count : 1;

  const result = useMemo(() => {
    try {
      const found = store.find(name, query, pageCount);
      return { data: found.documents as unknown as T[], hasMore: found.hasMore, error: null };
    } catch (error) {
      return { data: [] as T[], hasMore: false, error: HangarError.from(error) };
    }
    // `query` is captured through `queryKey`; `version` changes whenever the collection does.
  }, [queryKey, pageCount, version]);

  const insert = useCallback((document: NewDocument<T>) => runWrite(() => store.insert(name, document) as unknown as T), [name]);
  const update = useCallback(
    (id: string, changes: DocumentChanges<T>) => runWrite(() => store.update(name, id, changes) as unknown as T),
    [name],
  );
  const remove = useCallback((id: string) => runWrite(() => void store.remove(name, id)), [name]);
  const hasMore = result.hasMore;
  const loadMore = useCallback(() => {
    if (hasMore) setPages({ queryKey, count: pageCount + 1 });
  }, [hasMore, queryKey, pageCount]);

  return { data: result.data, loading: false, error: result.error, insert, update, remove, hasPendingWrites: false, loadMore, hasMore };
}

/** One live document by id: `const { data: task, update } = useDoc<Task>('tasks', taskId)`. */
export function useDoc<T extends DocumentShape = HangarDocument>(name: string, id: string | null | undefined): UseDocResult<T> {
  const version = useCollectionVersion(name);
  const result = useMemo(() => {
    try {
      return { data: id ? ((store.get(name, id) ?? null) as unknown as T | null) : null, error: null };
    } catch (error) {
      return { data: null, error: HangarError.from(error) };
    }
  }, [name, id, version]);

  const update = useCallback(
    (changes: DocumentChanges<T>) =>
      runWrite(() => {
        if (!id) throw new HangarError('not_found', `No document id given for collection "${name}".`);
        return store.update(name, id, changes) as unknown as T;
      }),
    [name, id],
  );
  const remove = useCallback(() => runWrite(() => void (id ? store.remove(name, id) : undefined)), [name, id]);

  return { data: result.data, loading: false, error: result.error, update, remove, hasPendingWrites: false };
}

export type AppInfo = {
  /** The app's display name, from `VITE_HANGAR_APP_NAME` (set by Hangar at build time). */
  name: string;
};

/** Facts about the running app that Hangar provides at build time. */
export function appInfo(): AppInfo {
  const name = import.meta.env.VITE_HANGAR_APP_NAME?.trim();
  return { name: name ? name : 'Hangar app' };
}
