/**
 * Hangar app SDK: the one module a generated app imports to read and write its data.
 *
 * Collections hold JSON documents with a string `_id`. Components subscribe with
 * `useCollection(name, query?)` or `useDoc(name, id)` and re-render whenever any writer (this app,
 * the API, an agent) changes the data they show; writes (`insert`, `update`, `remove`) show at once
 * and return promises that settle when the server answers — a rejected write is rolled back.
 *
 * Inside the Hangar console the app runs in a sandboxed iframe without network access and talks to
 * the console over postMessage (`hangar-transport.ts`). Opened on its own (a preview URL in its
 * own tab, `vite preview`) there is no console to hold its data: a banner says so, queries fail
 * with `unavailable` and writes are refused — nothing pretends to save. Tests pass
 * `MemoryConsoleTransport`, an in-memory console, to `setHangarClient`.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { AgentStatus, AgentSummary } from './hangar-agents';
import { HangarClient } from './hangar-client';
import { HangarError } from './hangar-error';
import { DetachedConsoleTransport } from './hangar-detached-console';
import { showDisconnectedBanner } from './hangar-disconnected-banner';
import { WindowBridgeTransport, isEmbedded, type HangarTransport } from './hangar-transport';

export { HangarError, type HangarErrorCode } from './hangar-error';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MemoryCollectionStore } from './hangar-store';
export { HangarClient, type HangarClientOptions } from './hangar-client';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './hangar-connection';
export { MemoryConsoleTransport, MEMORY_AGENTS_MESSAGE, type MemoryAgent } from './hangar-memory-console';
export { isAgentRunFinished, MAX_AGENT_INPUT_BYTES, type AgentStatus, type AgentSummary } from './hangar-agents';
export { DetachedConsoleTransport, DISCONNECTED_MESSAGE } from './hangar-detached-console';
export { WindowBridgeTransport, type HangarTransport } from './hangar-transport';

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
  /**
   * Why the query failed (e.g. an unsupported filter, or `timeout` when the console does not answer), or null.
   * A rejected write rejects its promise and shows in `writeError` instead, so the data stays on screen.
   */
  error: HangarError | null;
  /** Adds a document and resolves with it as stored (with its `_id`). */
  insert: (document: NewDocument<T>) => Promise<T>;
  /** Merges `changes` into the document and resolves with the result; rejects with `not_found`. */
  update: (id: string, changes: DocumentChanges<T>) => Promise<T>;
  /** Deletes the document; removing a missing document is not an error. */
  remove: (id: string) => Promise<void>;
  /** True while a write to the collection has been applied locally but not yet confirmed by the server. */
  hasPendingWrites: boolean;
  /** The last rejected write to the collection (already rolled back), until a later write succeeds. */
  writeError: HangarError | null;
  /** Extends the result by one more page of `limit` documents (fetched with the server's cursor). */
  loadMore: () => void;
  /** True when more documents match than are shown. */
  hasMore: boolean;
  /**
   * Whether this person may add, change or delete documents of the collection (the app's access
   * rules, evaluated by Hangar). Hide or disable write controls when false; writes are refused.
   */
  canWrite: boolean;
};

export type UseDocResult<T> = {
  /** The document, or null while loading, when it does not exist or when `id` is empty. */
  data: T | null;
  loading: boolean;
  error: HangarError | null;
  update: (changes: DocumentChanges<T>) => Promise<T>;
  remove: () => Promise<void>;
  hasPendingWrites: boolean;
  writeError: HangarError | null;
};

let defaultClient: HangarClient | null = null;

/** The console bridge when embedded in the Hangar console; on its own, a transport that says it is disconnected. */
function defaultTransport(): HangarTransport {
  if (typeof window !== 'undefined' && isEmbedded(window)) return new WindowBridgeTransport(window);
  if (typeof document !== 'undefined') showDisconnectedBanner(document);
  return new DetachedConsoleTransport();
}

/** The client every hook uses, created on first use. */
export function getHangarClient(): HangarClient {
  defaultClient ??= new HangarClient({ transport: defaultTransport() });
  return defaultClient;
}

/** Replaces the client the hooks use (tests, custom transports); null goes back to the default. */
export function setHangarClient(client: HangarClient | null): void {
  defaultClient = client;
}

/**
 * Live documents of one collection: `const { data, insert } = useCollection<Task>('tasks', { sort: { createdAt: -1 } })`.
 * Every component showing the same query shares one cache entry; every query of a collection shares one live subscription.
 */
export function useCollection<T extends DocumentShape = HangarDocument>(
  name: string,
  query: CollectionQuery<T> = {},
): UseCollectionResult<T> {
  const client = getHangarClient();
  const queryKey = JSON.stringify([query.filter ?? null, query.sort ?? null, query.limit ?? null]);
  // `query` is captured through `queryKey`, so a new but equal query object keeps the same handle.
  const handle = useMemo(() => client.query(name, query), [client, name, queryKey]);
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);

  const insert = useCallback((document: NewDocument<T>) => client.insert(name, document) as Promise<unknown> as Promise<T>, [client, name]);
  const update = useCallback(
    (id: string, changes: DocumentChanges<T>) => client.update(name, id, changes) as Promise<unknown> as Promise<T>,
    [client, name],
  );
  const remove = useCallback((id: string) => client.remove(name, id), [client, name]);

  return {
    data: snapshot.data as unknown[] as T[],
    loading: snapshot.loading,
    error: snapshot.error,
    insert,
    update,
    remove,
    hasPendingWrites: snapshot.hasPendingWrites,
    writeError: snapshot.writeError,
    loadMore: handle.loadMore,
    hasMore: snapshot.hasMore,
    canWrite: useCanWrite(name),
  };
}

/**
 * Whether this person may write a collection: `const canAdd = useCanWrite('tasks')`. False until
 * the console has answered; updates when it does.
 */
export function useCanWrite(collection: string): boolean {
  const client = getHangarClient();
  const subscribe = useCallback((listener: () => void) => client.onSession(listener), [client]);
  const read = useCallback(() => client.canWrite(collection), [client, collection]);
  return useSyncExternalStore(subscribe, read, read);
}

/** One live document by id: `const { data: task, update } = useDoc<Task>('tasks', taskId)`. */
export function useDoc<T extends DocumentShape = HangarDocument>(name: string, id: string | null | undefined): UseDocResult<T> {
  const client = getHangarClient();
  const handle = useMemo(() => client.doc(name, id), [client, name, id]);
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);

  const update = useCallback(
    (changes: DocumentChanges<T>) =>
      id
        ? (client.update(name, id, changes) as Promise<unknown> as Promise<T>)
        : Promise.reject(new HangarError('not_found', `No document id given for collection "${name}".`)),
    [client, name, id],
  );
  const remove = useCallback(() => (id ? client.remove(name, id) : Promise.resolve()), [client, name, id]);

  return {
    data: snapshot.data as unknown as T | null,
    loading: snapshot.loading,
    error: snapshot.error,
    update,
    remove,
    hasPendingWrites: snapshot.hasPendingWrites,
    writeError: snapshot.writeError,
  };
}

export type UseAgentListResult = {
  /** The app's agents (in this scope: the draft's in the builder, the approved ones in the published app). */
  data: AgentSummary[];
  loading: boolean;
  error: HangarError | null;
  reload: () => void;
};

/**
 * The app's agents, for a button per agent: `const { data: agents } = useAgentList()`; only those
 * with `manualTrigger` may be started from the app (the others run on their schedule).
 */
export function useAgentList(): UseAgentListResult {
  const client = getHangarClient();
  const handle = useMemo(() => client.agents.list(), [client]);
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);
  return { data: snapshot.data, loading: snapshot.loading, error: snapshot.error, reload: handle.reload };
}

export type UseAgentResult = {
  /**
   * Starts a run as the signed-in person with `input` (a JSON object, at most 16 KB) and resolves
   * with its id, or with null when it was refused — the reason is in `error`, so a button's
   * `onClick={() => trigger({ company })}` needs no catch. Runs go on when the page closes.
   */
  trigger: (input?: Record<string, unknown>) => Promise<string | null>;
  /** `idle` (no run yet), `starting`, then the run's: `queued`, `running`, `awaiting_approval` (a person must approve a call), `succeeded`, `failed`, `stopped`. */
  status: AgentStatus;
  /** The agent's summary once the run succeeded, else null. */
  result: string | null;
  /** Why the trigger was refused (`limit_reached`, `forbidden`, `invalid_input`…), why the run failed (`agent_failed`), or null. */
  error: HangarError | null;
  /** The run shown; store it (e.g. on a document) and pass it as `{ runId }` to show that run again later. */
  runId: string | null;
};

/**
 * One agent of this app, live: `const lookup = useAgent('enricher')` then
 * `lookup.trigger({ company: lead.company })`, showing `lookup.status` and `lookup.result`.
 * Without `runId` the hook shows the last run this browser started of the agent, so a reloaded
 * app picks up where it was; the status updates live until the run ends.
 */
export function useAgent(agentId: string, options: { runId?: string | null } = {}): UseAgentResult {
  const client = getHangarClient();
  const runId = options.runId ?? null;
  const handle = useMemo(() => client.agents.agent(agentId, runId), [client, agentId, runId]);
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);
  return { trigger: handle.trigger, status: snapshot.status, result: snapshot.result, error: snapshot.error, runId: snapshot.runId };
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
