import {
  bridgeVersion,
  type AppToConsoleMessage,
  type BridgeDocument,
  type BridgeRequest,
  type ConsoleToAppMessage,
} from './hangar-bridge-protocol';
import { HangarError } from './hangar-error';
import { MemoryCollectionStore } from './hangar-store';
import type { HangarTransport } from './hangar-transport';

/**
 * An in-memory stand-in for the Hangar console, for tests and demos that pass it explicitly
 * (an app opened on its own gets `DetachedConsoleTransport` instead, which saves nothing): it answers bridge requests from an in-memory store and pushes `changes` to
 * subscribed collections, so the SDK runs the same code path as in the console. Data lives as long
 * as the page. Answers arrive asynchronously and as copies, like real postMessage traffic.
 */
export class MemoryConsoleTransport implements HangarTransport {
  readonly store: MemoryCollectionStore;
  readonly #handlers = new Set<(message: ConsoleToAppMessage) => void>();
  readonly #subscribed = new Set<string>();
  #seq = 0;

  constructor(options: { store?: MemoryCollectionStore } = {}) {
    this.store = options.store ?? new MemoryCollectionStore();
  }

  send(message: AppToConsoleMessage): void {
    const copy = structuredClone(message);
    queueMicrotask(() => this.#receive(copy));
  }

  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Writes a document as another writer would (an API call, an agent) and pushes the change. */
  writeFromElsewhere(collection: string, write: (store: MemoryCollectionStore) => BridgeDocument | null, documentId?: string): void {
    const document = write(this.store);
    const id = document?._id ?? documentId;
    if (id) this.#pushChange(collection, document ? 'update' : 'delete', id, document);
  }

  #receive(message: AppToConsoleMessage): void {
    if (message.kind === 'hello') {
      this.#emit({ hangar: bridgeVersion, kind: 'ready', appId: 'standalone', scope: 'draft', readOnly: false });
      return;
    }
    let result: unknown;
    try {
      result = this.#run(message);
    } catch (error) {
      const { code, message: text } = HangarError.from(error);
      this.#emit({ hangar: bridgeVersion, kind: 'response', id: message.id, ok: false, error: { code, message: text } });
      return;
    }
    this.#emit({ hangar: bridgeVersion, kind: 'response', id: message.id, ok: true, result });
  }

  #run(request: BridgeRequest): unknown {
    const { collection } = request;
    const now = new Date().toISOString();
    switch (request.op) {
      case 'list':
        return this.store.list(collection, request.query);
      case 'get':
        return this.store.get(collection, request.documentId) ?? null;
      case 'insert': {
        const document = this.store.insert(collection, { ...request.data, _createdAt: now, _updatedAt: now });
        this.#pushChange(collection, 'insert', document._id, document);
        return document;
      }
      case 'update': {
        const document = this.store.update(collection, request.documentId, { ...request.data, _updatedAt: now });
        this.#pushChange(collection, 'update', document._id, document);
        return document;
      }
      case 'remove':
        if (this.store.remove(collection, request.documentId)) this.#pushChange(collection, 'delete', request.documentId, null);
        return null;
      case 'subscribe':
        this.#subscribed.add(collection);
        return null;
      case 'unsubscribe':
        this.#subscribed.delete(collection);
        return null;
    }
  }

  #pushChange(collection: string, operation: 'insert' | 'update' | 'delete', documentId: string, document: BridgeDocument | null): void {
    if (!this.#subscribed.has(collection)) return;
    const change = { operation, documentId, document, epoch: 'memory', seq: ++this.#seq };
    const message: ConsoleToAppMessage = { hangar: bridgeVersion, kind: 'changes', collection, changes: [change] };
    queueMicrotask(() => this.#emit(message));
  }

  #emit(message: ConsoleToAppMessage): void {
    for (const handler of [...this.#handlers]) handler(structuredClone(message));
  }
}
