import type { HangarDocument } from './hangar';
import { decodeDataPage, decodeDocument } from './hangar-bridge-codec';
import type { BridgePush, BridgeReady, BridgeRequestBody } from './hangar-bridge-protocol';
import { applyConfirmed, isOlder, overlayOf, sameItems, viewOf, type PendingWrite } from './hangar-cache';
import { HangarAgents } from './hangar-agents';
import { BridgeConnection } from './hangar-connection';
import { HangarError } from './hangar-error';
import { sortDocuments, validateFilter } from './hangar-query';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  assertCollectionName,
  assertDocumentFields,
  copyDocument,
  createDocumentId,
  withoutUndefined,
} from './hangar-store';
import type { HangarTransport } from './hangar-transport';

/** What a query shows right now; a new object only when something in it changed. */
export type QuerySnapshot = {
  data: HangarDocument[];
  loading: boolean;
  error: HangarError | null;
  hasMore: boolean;
  hasPendingWrites: boolean;
  /** The last rejected write of the collection (cleared by the next accepted one). */
  writeError: HangarError | null;
};

export type DocSnapshot = Omit<QuerySnapshot, 'data' | 'hasMore'> & { data: HangarDocument | null };

/** A query as hooks pass it; validated when first watched. */
export type ClientQuery = { filter?: unknown; sort?: unknown; limit?: number };

/** What `useSyncExternalStore` needs for one query or document, plus paging. */
export type WatchHandle<S> = { subscribe: (listener: () => void) => () => void; getSnapshot: () => S };
export type QueryHandle = WatchHandle<QuerySnapshot> & { loadMore: () => void };

export type HangarClientOptions = {
  transport: HangarTransport;
  /** Per-request timeout in milliseconds; default 10 000. */
  timeoutMs?: number;
  createId?: () => string;
};

type EntryBase = {
  key: string;
  collection: string;
  listeners: Set<() => void>;
  /** Bumped by every reload and by teardown; answers for an older generation are dropped. */
  generation: number;
  loading: boolean;
  error: HangarError | null;
  /** Whether this entry holds a share of the collection's subscription. */
  subscribed: boolean;
  /** Confirmed changes seen while a load was in flight, replayed onto its result. */
  buffered: { id: string; document: HangarDocument | null }[] | null;
};
type QueryEntry = EntryBase & {
  kind: 'query';
  filter: unknown;
  sort: unknown;
  limit: number;
  base: HangarDocument[];
  nextCursor: string | null;
  boundary: HangarDocument | null;
  pages: number;
  snapshot: QuerySnapshot;
};
type DocEntry = EntryBase & { kind: 'doc'; id: string; base: HangarDocument | null; snapshot: DocSnapshot };
type Entry = QueryEntry | DocEntry;

type CollectionState = {
  entries: Set<Entry>;
  pending: PendingWrite[];
  writeError: HangarError | null;
  subscribers: number;
  /** Why the console refused the collection's subscription: shown as the `error` of every live query of it. */
  subscriptionError: HangarError | null;
};

const documentIdPattern = /^[A-Za-z0-9_-]{1,128}$/;
const idle = { loading: true, error: null, hasPendingWrites: false, writeError: null };
const idleQuery: QuerySnapshot = Object.freeze({ ...idle, data: [], hasMore: false });
const idleDoc: DocSnapshot = Object.freeze({ ...idle, data: null });

function shallowEqual<T extends object>(left: T, right: T): boolean {
  const keys = Object.keys(left) as (keyof T)[];
  return keys.every((key) => Object.is(left[key], right[key]));
}

/**
 * The SDK's core, without React: talks to the console through a {@link BridgeConnection}, caches
 * each distinct query and document once (shared by every hook that shows it), keeps one
 * subscription per collection while anything watches it, applies writes optimistically and live
 * changes as they arrive.
 */
export class HangarClient {
  readonly #connection: BridgeConnection;
  readonly #createId: () => string;
  readonly #disconnected: string | null;
  readonly #entries = new Map<string, Entry>();
  readonly #sessionListeners = new Set<() => void>();
  readonly #collections = new Map<string, CollectionState>();
  #writeSeq = 0;
  /** The app's agents (`useAgentList`, `useAgent`), over the same connection. */
  readonly agents: HangarAgents;

  constructor(options: HangarClientOptions) {
    this.#createId = options.createId ?? createDocumentId;
    this.#disconnected = options.transport.disconnected ?? null;
    this.#connection = new BridgeConnection(options.transport, {
      timeoutMs: options.timeoutMs,
      onPush: (message) => this.#onPush(message),
      onReady: () => {
        for (const listener of [...this.#sessionListeners]) listener();
      },
    });
    this.agents = new HangarAgents(this.#connection, this.#disconnected);
  }

  /**
   * Whether the person may write a collection here, from what the console said in `ready`: its
   * access rules as the control plane evaluates them (published apps), or read-only. False until
   * the console answered and when no console can: controls for writing stay hidden until known.
   */
  canWrite(collection: string): boolean {
    const session = this.session;
    if (this.#disconnected || !session || session.readOnly) return false;
    return !session.writable || session.writable.all || session.writable.collections.includes(collection);
  }

  /** Calls `listener` whenever the console (re)announces the session; returns the unsubscribe function. */
  onSession(listener: () => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  /** What the console said when it connected (app, data scope, read-only), or null until then. */
  get session(): BridgeReady | null {
    return this.#connection.session;
  }

  /** Why no console can answer (the app was opened outside Hangar), or null when one can. */
  get disconnected(): string | null {
    return this.#disconnected;
  }

  /** Stops talking to the console; open requests fail with `unavailable`. */
  close(): void {
    this.#connection.close();
  }

  /** A live query; identical queries share one cache entry. */
  query(collection: string, query: ClientQuery = {}): QueryHandle {
    const key = JSON.stringify(['query', collection, query.filter ?? null, query.sort ?? null, query.limit ?? null]);
    return {
      subscribe: (listener) => this.#watch(key, listener, () => this.#createQuery(key, collection, query)),
      getSnapshot: () => (this.#entries.get(key)?.snapshot as QuerySnapshot | undefined) ?? idleQuery,
      loadMore: () => {
        const entry = this.#entries.get(key);
        if (entry?.kind === 'query') this.#loadMore(entry);
      },
    };
  }

  /** One live document; an empty id shows null without asking the console. */
  doc(collection: string, id: string | null | undefined): WatchHandle<DocSnapshot> {
    const key = JSON.stringify(['doc', collection, id ?? '']);
    return {
      subscribe: (listener) => this.#watch(key, listener, () => this.#createDoc(key, collection, id ?? '')),
      getSnapshot: () => (this.#entries.get(key)?.snapshot as DocSnapshot | undefined) ?? idleDoc,
    };
  }

  /** Inserts a document (with a client-generated `_id` when missing), showing it at once. */
  insert(collection: string, fields: object): Promise<HangarDocument> {
    let document: HangarDocument;
    try {
      assertCollectionName(collection);
      assertDocumentFields(fields);
      const { _id: given, ...rest } = fields;
      const id = given === undefined ? this.#createId() : given;
      if (typeof id !== 'string' || !documentIdPattern.test(id)) {
        throw new HangarError('invalid_document', '_id must be 1 to 128 letters, digits, "_" or "-".');
      }
      document = { ...copyDocument(withoutUndefined(rest)), _id: id };
    } catch (error) {
      return Promise.reject(HangarError.from(error));
    }
    return this.#write(collection, { kind: 'insert', id: document._id, document }, { op: 'insert', collection, data: document });
  }

  /** Merges `changes` into a document (undefined removes a field), showing the result at once. */
  update(collection: string, id: string, changes: object): Promise<HangarDocument> {
    let copy: Record<string, unknown>;
    try {
      assertCollectionName(collection);
      assertDocumentFields(changes);
      if (!documentIdPattern.test(id)) throw new HangarError('not_found', `No document "${id}" in "${collection}".`);
      const { _id: changedId, ...rest } = changes;
      if (changedId !== undefined && changedId !== id) throw new HangarError('invalid_document', '_id cannot change.');
      copy = copyDocument(rest);
    } catch (error) {
      return Promise.reject(HangarError.from(error));
    }
    return this.#write(collection, { kind: 'update', id, changes: copy }, { op: 'update', collection, documentId: id, data: copy });
  }

  /** Deletes a document, hiding it at once; removing a missing document is not an error. */
  async remove(collection: string, id: string): Promise<void> {
    assertCollectionName(collection);
    if (!documentIdPattern.test(id)) return;
    await this.#write(collection, { kind: 'remove', id }, { op: 'remove', collection, documentId: id });
  }

  // ── writes ────────────────────────────────────────────────────────────────

  async #write(collection: string, write: DistributiveOmit<PendingWrite, 'seq'>, body: BridgeRequestBody): Promise<HangarDocument> {
    // Refused before the optimistic apply: a write that can never be saved must not flash on screen.
    if (this.#disconnected) throw new HangarError('unavailable', this.#disconnected);
    if (this.session?.readOnly) throw new HangarError('forbidden', 'This app’s data is read-only here.');
    // The access rules do not let this person change the collection: refused before it shows.
    if (this.session && !this.canWrite(collection)) throw new HangarError('forbidden', `You may not change “${collection}”.`);
    const state = this.#state(collection);
    const pending: PendingWrite = { ...write, seq: ++this.#writeSeq };
    state.pending.push(pending);
    this.#refresh(state);
    try {
      let document: HangarDocument | null = null;
      try {
        const result = await this.#connection.request(body);
        if (write.kind !== 'remove') {
          document = decodeDocument(result);
          if (!document) throw new HangarError('unavailable', `The console answered "${write.kind}" without a document.`);
        }
      } catch (error) {
        // Removing what is already gone is what the caller wanted.
        if (!(write.kind === 'remove' && error instanceof HangarError && error.code === 'not_found')) throw error;
      }
      this.#confirm(state, document?._id ?? write.id, document);
      state.writeError = null;
      return document ?? { _id: write.id };
    } catch (error) {
      const failure = HangarError.from(error);
      state.writeError = failure;
      throw failure;
    } finally {
      state.pending = state.pending.filter((item) => item !== pending);
      this.#refresh(state);
      this.#forget(collection, state);
    }
  }

  // ── entries ───────────────────────────────────────────────────────────────

  #watch(key: string, listener: () => void, create: () => Entry): () => void {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = create();
      this.#entries.set(key, entry);
      this.#state(entry.collection).entries.add(entry);
      if (entry.subscribed) this.#acquire(entry.collection);
      this.#load(entry);
    }
    const watched = entry;
    const notify = () => listener();
    watched.listeners.add(notify);
    return () => {
      watched.listeners.delete(notify);
      // Released a moment later, so a remount in the same task (React StrictMode) keeps the entry.
      queueMicrotask(() => {
        if (watched.listeners.size === 0 && this.#entries.get(key) === watched) this.#teardown(watched);
      });
    };
  }

  #createQuery(key: string, collection: string, query: ClientQuery): QueryEntry {
    const entry: QueryEntry = {
      ...this.#entryBase(key, collection),
      kind: 'query',
      filter: query.filter,
      sort: query.sort,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      base: [],
      nextCursor: null,
      boundary: null,
      pages: 1,
      snapshot: idleQuery,
    };
    try {
      assertCollectionName(collection);
      if (!Number.isInteger(entry.limit) || entry.limit < 1 || entry.limit > MAX_PAGE_SIZE) {
        throw new HangarError('invalid_query', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
      }
      validateFilter(query.filter);
      sortDocuments([], query.sort);
    } catch (error) {
      return this.#failed(entry, error);
    }
    return entry;
  }

  #createDoc(key: string, collection: string, id: string): DocEntry {
    const entry: DocEntry = { ...this.#entryBase(key, collection), kind: 'doc', id, base: null, snapshot: idleDoc };
    try {
      assertCollectionName(collection);
    } catch (error) {
      return this.#failed(entry, error);
    }
    // No id, or one that cannot exist: nothing to load.
    if (!documentIdPattern.test(id)) return { ...entry, loading: false, subscribed: false };
    return entry;
  }

  #entryBase(key: string, collection: string): EntryBase {
    return { key, collection, listeners: new Set(), generation: 0, loading: true, error: null, subscribed: true, buffered: null };
  }

  #failed<E extends Entry>(entry: E, error: unknown): E {
    return { ...entry, loading: false, error: HangarError.from(error), subscribed: false };
  }

  #teardown(entry: Entry): void {
    entry.generation += 1;
    this.#entries.delete(entry.key);
    const state = this.#state(entry.collection);
    state.entries.delete(entry);
    if (entry.subscribed) this.#release(entry.collection, state);
    this.#forget(entry.collection, state);
  }

  // ── loading ───────────────────────────────────────────────────────────────

  #load(entry: Entry): void {
    if (!entry.loading && entry.generation === 0) {
      this.#refresh(this.#state(entry.collection)); // nothing to load: publish the final snapshot
      return;
    }
    void (entry.kind === 'query' ? this.#loadQuery(entry) : this.#loadDoc(entry));
  }

  async #loadQuery(entry: QueryEntry): Promise<void> {
    const generation = ++entry.generation;
    entry.buffered = [];
    try {
      const items = new Map<string, HangarDocument>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await this.#listPage(entry, cursor);
        if (generation !== entry.generation) return;
        for (const item of page.items) items.set(item._id, item);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < entry.pages);
      entry.base = [...items.values()];
      this.#setCursor(entry, cursor);
      entry.error = null;
    } catch (error) {
      if (generation !== entry.generation) return;
      entry.error = HangarError.from(error);
    }
    this.#settle(entry);
  }

  #loadMore(entry: QueryEntry): void {
    if (entry.buffered || entry.error || !entry.snapshot.hasMore) return;
    if (entry.nextCursor === null) {
      // Live inserts grew the result past the pages shown: show one more page of what is here.
      entry.pages += 1;
      this.#refresh(this.#state(entry.collection));
      return;
    }
    const { generation, nextCursor } = entry;
    entry.buffered = [];
    this.#listPage(entry, nextCursor).then(
      (page) => {
        if (generation !== entry.generation) return;
        const byId = new Map(entry.base.map((item) => [item._id, item]));
        for (const item of page.items) byId.set(item._id, item);
        entry.base = sortDocuments([...byId.values()], entry.sort);
        this.#setCursor(entry, page.nextCursor, page.items.at(-1));
        entry.pages += 1;
        this.#settle(entry);
      },
      (error: unknown) => {
        if (generation !== entry.generation) return;
        entry.error = HangarError.from(error);
        this.#settle(entry);
      },
    );
  }

  async #listPage(entry: QueryEntry, cursor: string | null) {
    const query = {
      filter: entry.filter as Record<string, unknown> | undefined,
      sort: entry.sort as Record<string, 1 | -1> | undefined,
      limit: entry.limit,
      cursor: cursor ?? undefined,
    };
    const page = decodeDataPage(await this.#connection.request({ op: 'list', collection: entry.collection, query }));
    if (!page) throw new HangarError('unavailable', 'The console answered "list" without a page of documents.');
    return page;
  }

  #setCursor(entry: QueryEntry, cursor: string | null, last = entry.base.at(-1)): void {
    entry.nextCursor = cursor;
    entry.boundary = cursor === null ? null : (last ?? null);
  }

  async #loadDoc(entry: DocEntry): Promise<void> {
    const generation = ++entry.generation;
    entry.buffered = [];
    try {
      const result = await this.#connection.request({ op: 'get', collection: entry.collection, documentId: entry.id });
      if (generation !== entry.generation) return;
      const document = result === null ? null : decodeDocument(result);
      if (result !== null && !document) throw new HangarError('unavailable', 'The console answered "get" without a document.');
      entry.base = document;
      entry.error = null;
    } catch (error) {
      if (generation !== entry.generation) return;
      const failure = HangarError.from(error);
      entry.base = null;
      entry.error = failure.code === 'not_found' ? null : failure;
    }
    this.#settle(entry);
  }

  /** Ends a load: replays the changes that arrived meanwhile and publishes the result. */
  #settle(entry: Entry): void {
    const buffered = entry.buffered ?? [];
    entry.buffered = null;
    entry.loading = false;
    for (const change of buffered) this.#applyToEntry(entry, change.id, change.document);
    this.#refresh(this.#state(entry.collection));
  }

  // ── live changes ──────────────────────────────────────────────────────────

  #onPush(message: BridgePush): void {
    if (message.kind === 'agentRun') return this.agents.receive(message.run);
    const state = this.#collections.get(message.collection);
    if (!state) return;
    if (message.kind === 'resync') {
      for (const entry of state.entries) if (entry.subscribed) this.#load(entry);
      return;
    }
    if (message.kind === 'reload') {
      void this.#reload(message.collection, state, message.documentId);
      return;
    }
    for (const change of message.changes) this.#confirm(state, change.documentId, change.document);
    this.#refresh(state);
  }

  /**
   * A change too large to push arrived as a notice: the document is read through the normal read
   * path and applied as if it had been pushed (a missing one as a delete). A late answer older
   * than what is shown by then is ignored like any late change; a failed read reloads the
   * collection's queries, so nothing stays silently stale.
   */
  async #reload(collection: string, state: CollectionState, documentId: string): Promise<void> {
    let document: HangarDocument | null;
    try {
      const result = await this.#connection.request({ op: 'get', collection, documentId });
      document = result === null ? null : decodeDocument(result);
      if (result !== null && !document) throw new HangarError('unavailable', 'The console answered "get" without a document.');
    } catch (error) {
      if (!(error instanceof HangarError && error.code === 'not_found')) {
        if (this.#collections.get(collection) === state) for (const entry of state.entries) if (entry.subscribed) this.#load(entry);
        return;
      }
      document = null;
    }
    if (this.#collections.get(collection) !== state) return;
    this.#confirm(state, documentId, document);
    this.#refresh(state);
  }

  /** Applies a confirmed change (from the server) to every cached query and document of the collection. */
  #confirm(state: CollectionState, id: string, document: HangarDocument | null): void {
    for (const entry of state.entries) {
      entry.buffered?.push({ id, document });
      this.#applyToEntry(entry, id, document);
    }
  }

  #applyToEntry(entry: Entry, id: string, document: HangarDocument | null): void {
    if (entry.kind === 'query') entry.base = applyConfirmed(entry.base, entry, id, document);
    else if (entry.id === id && !(document && entry.base && isOlder(document, entry.base))) entry.base = document;
  }

  // ── subscriptions ─────────────────────────────────────────────────────────

  #acquire(collection: string): void {
    const state = this.#state(collection);
    state.subscribers += 1;
    // A refused subscription is asked again by the next query that needs it.
    if (state.subscribers === 1 || state.subscriptionError) this.#subscribe(collection, state);
  }

  #subscribe(collection: string, state: CollectionState): void {
    state.subscriptionError = null;
    this.#connection.request({ op: 'subscribe', collection }).then(
      () => undefined,
      (error: unknown) => {
        // Without a subscription the data on screen would silently go stale: say so on every live query.
        if (state.subscribers === 0 || this.#collections.get(collection) !== state) return;
        state.subscriptionError = HangarError.from(error);
        this.#refresh(state);
      },
    );
  }

  #release(collection: string, state: CollectionState): void {
    state.subscribers -= 1;
    if (state.subscribers === 0) this.#connection.request({ op: 'unsubscribe', collection }).catch(ignore);
  }

  // ── state and snapshots ───────────────────────────────────────────────────

  #state(collection: string): CollectionState {
    let state = this.#collections.get(collection);
    if (!state) {
      state = { entries: new Set(), pending: [], writeError: null, subscribers: 0, subscriptionError: null };
      this.#collections.set(collection, state);
    }
    return state;
  }

  #forget(collection: string, state: CollectionState): void {
    if (state.entries.size === 0 && state.pending.length === 0 && state.subscribers === 0) this.#collections.delete(collection);
  }

  /** Recomputes every snapshot of the collection and notifies the listeners of those that changed. */
  #refresh(state: CollectionState): void {
    const known = (id: string) => {
      for (const entry of state.entries) {
        const found = entry.kind === 'query' ? entry.base.find((item) => item._id === id) : entry.base?._id === id ? entry.base : undefined;
        if (found) return found;
      }
      return undefined;
    };
    const overlay = overlayOf(state.pending, known);
    const shared = { hasPendingWrites: state.pending.length > 0, writeError: state.writeError };
    for (const entry of state.entries) {
      const error = entry.error ?? (entry.subscribed ? state.subscriptionError : null);
      const changed =
        entry.kind === 'query'
          ? this.#refreshQuery(entry, overlay, { ...shared, error })
          : this.#refreshDoc(entry, overlay, { ...shared, error });
      if (changed) for (const listener of [...entry.listeners]) listener();
    }
  }

  #refreshQuery(
    entry: QueryEntry,
    overlay: Map<string, HangarDocument | null>,
    shared: Pick<QuerySnapshot, 'hasPendingWrites' | 'writeError' | 'error'>,
  ): boolean {
    const view = viewOf(entry.base, entry, overlay);
    const shown = entry.pages * entry.limit;
    const data = view.length > shown ? view.slice(0, shown) : view;
    const previous = entry.snapshot;
    const next: QuerySnapshot = {
      data: sameItems(previous.data, data) ? previous.data : data,
      loading: entry.loading,
      hasMore: entry.nextCursor !== null || view.length > shown,
      ...shared,
    };
    if (shallowEqual(previous, next)) return false;
    entry.snapshot = next;
    return true;
  }

  #refreshDoc(
    entry: DocEntry,
    overlay: Map<string, HangarDocument | null>,
    shared: Pick<DocSnapshot, 'hasPendingWrites' | 'writeError' | 'error'>,
  ): boolean {
    const data = overlay.has(entry.id) ? (overlay.get(entry.id) ?? null) : entry.base;
    const next: DocSnapshot = { data, loading: entry.loading, ...shared };
    if (shallowEqual(entry.snapshot, next)) return false;
    entry.snapshot = next;
    return true;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function ignore(): void {
  // An unsubscribe that fails leaves nothing to fix: the console drops the subscription with the page.
}
