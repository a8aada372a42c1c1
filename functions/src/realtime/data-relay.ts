import type { DataChange, DataScopeKey, ServerMessage } from '@hangar/protocol';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { ConnectionRegistry } from '../ports/connection-registry';
import type { ChangeEvent, DocumentStore } from '../ports/document-store';
import { createPushDelivery, type Deliver, type PushDeliveryOptions } from './push-delivery';

interface Outbox {
  connectionId: string;
  /** The subscription key (`subscriptionKey(scope)`). */
  name: string;
  scope: DataScopeKey;
  pending: DataChange[];
  sending: boolean;
}

/** Most changes in one `data.changes` frame. */
const maxBatch = 200;
/**
 * Most changes waiting for one connection. Past it the queue is dropped: the client sees a gap
 * in sequence numbers and resynchronizes, instead of the relay holding unbounded memory.
 */
const maxPending = 2000;

/** The subscription key of one app collection in one data scope. */
export const subscriptionKey = (key: Pick<DataScopeKey, 'appId' | 'scope' | 'collection'>) => `${key.appId}:${key.scope}:${key.collection}`;

export interface DataRelayOptions {
  store: DocumentStore;
  registry: ConnectionRegistry;
  pusher: ConnectionPusher;
  /** Retry policy of pushes (see `push-delivery.ts`). */
  delivery?: PushDeliveryOptions;
  /** Maps a physical collection name to its app scope (null when it is not app data). */
  scopeOf: (collection: string) => Promise<DataScopeKey | null>;
  /** Distinguishes this relay's sequence numbers from an earlier process's. */
  epoch?: string;
  /** Where the current sequence number of a key lives when another process numbers changes (the Lambda relay). */
  sequenceOf?: (key: string) => Promise<number>;
  log?: (message: string) => void;
  /** Which subscribers may receive a change (`own` collections); null: all of them. */
  changeFilter?: (key: DataScopeKey) => Promise<((userId: string, change: DataChange) => Promise<boolean>) | null>;
}

/**
 * Reads the store's change feed ONCE per process and fans each change out to the connections
 * subscribed to its (app, scope, collection). Every change gets the next sequence number of its
 * scope key within this relay's epoch, so clients detect gaps and resynchronize. Connections
 * that answer 410 (gone), or that were closed after pushes kept failing, are removed from the
 * registry.
 */
export class DataRelay {
  readonly epoch: string;
  private readonly seqs = new Map<string, number>();
  /** Per key, per connection: changes waiting while a push to that connection is in flight. */
  private readonly outboxes = new Map<string, Map<string, Outbox>>();
  /**
   * The `data.changed` message of each change, built once and handed to every subscriber that
   * receives it alone, so the pusher serializes and encodes it once per change, not per connection.
   */
  private readonly singleMessages = new WeakMap<DataChange, ServerMessage>();
  private feed: ReturnType<DocumentStore['watch']> | null = null;
  private running: Promise<void> | null = null;
  private delivered = 0;
  private processed = 0;
  private processedWaiters: { count: number; resolve: () => void }[] = [];
  private readonly deliver: Deliver;

  constructor(private readonly options: DataRelayOptions) {
    this.deliver = createPushDelivery(options.pusher, { ...(options.log ? { log: options.log } : {}), ...options.delivery });
    this.epoch = options.epoch ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Current sequence number of a key (what a new subscriber starts after). */
  currentSeq(key: string): number {
    return this.seqs.get(key) ?? 0;
  }

  deliveredCount(): number {
    return this.delivered;
  }

  /** Resolves once the feed has handed this relay `count` changes to `d_` collections and each was queued or skipped (tests wait on it). */
  untilProcessed(count: number): Promise<void> {
    if (this.processed >= count) return Promise.resolve();
    return new Promise((resolve) => this.processedWaiters.push({ count, resolve }));
  }

  private markProcessed(): void {
    this.processed++;
    const ready = this.processedWaiters.filter((waiter) => waiter.count <= this.processed);
    this.processedWaiters = this.processedWaiters.filter((waiter) => waiter.count > this.processed);
    for (const waiter of ready) waiter.resolve();
  }

  start(): void {
    if (this.feed) return;
    this.feed = this.options.store.watch();
    const feed = this.feed;
    this.running = (async () => {
      for await (const event of feed) {
        if (!event.collection.startsWith('d_')) continue;
        try {
          await this.relay(event);
        } catch (error) {
          this.options.log?.(`data relay: ${error instanceof Error ? error.message : String(error)}`);
        }
        this.markProcessed();
      }
    })();
  }

  /** Registers a subscription; answers the epoch and sequence number it starts after. */
  async subscribe(connectionId: string, userId: string, key: DataScopeKey): Promise<{ epoch: string; seq: number }> {
    const name = subscriptionKey(key);
    await this.options.registry.add({ connectionId, key: name, userId, subscribedAt: new Date().toISOString() });
    const seq = this.options.sequenceOf ? await this.options.sequenceOf(name) : this.currentSeq(name);
    return { epoch: this.epoch, seq };
  }

  async unsubscribe(connectionId: string, key: Pick<DataScopeKey, 'appId' | 'scope' | 'collection'>): Promise<void> {
    const name = subscriptionKey(key);
    await this.options.registry.remove(connectionId, name);
    const outbox = this.outboxes.get(name)?.get(connectionId);
    if (outbox) outbox.pending.length = 0;
  }

  /** Ends a subscription whose permission is gone: queued changes are dropped, then the client is told. */
  async revoke(connectionId: string, key: Pick<DataScopeKey, 'appId' | 'scope' | 'collection'>, reason: string): Promise<void> {
    await this.unsubscribe(connectionId, key);
    const { appId, scope, collection } = key;
    const outcome = await this.deliver(connectionId, {
      type: 'subscription.revoked',
      subscription: { kind: 'data', appId, scope, collection },
      reason,
    });
    if (outcome !== 'sent') await this.forget(connectionId);
  }

  async dropConnection(connectionId: string): Promise<void> {
    await this.options.registry.removeConnection(connectionId);
  }

  private async relay(event: ChangeEvent): Promise<void> {
    const scope = await this.options.scopeOf(event.collection);
    if (!scope) return;
    const name = subscriptionKey(scope);
    const seq = this.currentSeq(name) + 1;
    this.seqs.set(name, seq);
    const change: DataChange = {
      operation: event.operation,
      documentId: event.documentId,
      document: event.operation === 'delete' ? null : (event.document as DataChange['document']),
      epoch: this.epoch,
      seq,
    };
    const admits = this.options.changeFilter ? await this.options.changeFilter(scope) : null;
    for (const connectionId of await this.options.registry.connectionsFor(name)) {
      if (admits) {
        const record = (await this.options.registry.recordsFor(connectionId)).find((candidate) => candidate.key === name);
        if (!record || !(await admits(record.userId, change))) continue;
      }
      this.enqueue(connectionId, name, scope, change);
    }
  }

  /**
   * Queues a change for one connection and starts a sender if none runs. While a push is in
   * flight, later changes wait and go out together as one `data.changes` frame: no extra latency
   * when idle, fewer pushes under load, and the order per connection is kept.
   */
  private enqueue(connectionId: string, name: string, scope: DataScopeKey, change: DataChange): void {
    let ofKey = this.outboxes.get(name);
    if (!ofKey) this.outboxes.set(name, (ofKey = new Map()));
    let outbox = ofKey.get(connectionId);
    if (!outbox) ofKey.set(connectionId, (outbox = { connectionId, name, scope, pending: [], sending: false }));
    if (outbox.pending.length >= maxPending) outbox.pending.length = 0;
    outbox.pending.push(change);
    if (!outbox.sending) void this.drain(outbox);
  }

  private async drain(outbox: Outbox): Promise<void> {
    outbox.sending = true;
    const { appId, scope, collection } = outbox.scope;
    while (outbox.pending.length > 0) {
      const batch = outbox.pending.splice(0, maxBatch);
      const only = batch.length === 1 ? batch[0] : undefined;
      let message: ServerMessage;
      if (only) {
        message = this.singleMessages.get(only) ?? { type: 'data.changed', appId, scope, collection, change: only };
        this.singleMessages.set(only, message);
      } else {
        message = { type: 'data.changes', appId, scope, collection, changes: batch };
      }
      const outcome = await this.deliver(outbox.connectionId, message);
      if (outcome !== 'sent') {
        await this.forget(outbox.connectionId);
        return;
      }
      this.delivered += batch.length;
    }
    outbox.sending = false;
    const ofKey = this.outboxes.get(outbox.name);
    if (ofKey?.get(outbox.connectionId) === outbox) ofKey.delete(outbox.connectionId);
    if (ofKey?.size === 0) this.outboxes.delete(outbox.name);
  }

  /** Drops a connection that is gone or was closed: its queues and its registry entries. */
  private async forget(connectionId: string): Promise<void> {
    for (const [name, ofKey] of this.outboxes) {
      const other = ofKey.get(connectionId);
      if (!other) continue;
      other.pending.length = 0;
      ofKey.delete(connectionId);
      if (ofKey.size === 0) this.outboxes.delete(name);
    }
    await this.options.registry.removeConnection(connectionId).catch((error: unknown) => this.options.log?.(`registry: ${String(error)}`));
  }

  async stop(): Promise<void> {
    await this.feed?.close();
    await this.running;
    this.feed = null;
  }
}
