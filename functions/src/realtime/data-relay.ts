import type { DataChange, DataScopeKey, ServerMessage } from '@hangar/protocol';
import type { ConnectionPusher, PostOutcome } from '../ports/connection-pusher';
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
    const canPostToEach = this.options.pusher.postToEach !== undefined;
    /** Connections with nothing in flight: they get this change together, in one `postToEach`. */
    const idle: Outbox[] = [];
    for (const connectionId of await this.options.registry.connectionsFor(name)) {
      if (admits) {
        const record = (await this.options.registry.recordsFor(connectionId)).find((candidate) => candidate.key === name);
        if (!record || !(await admits(record.userId, change))) continue;
      }
      const outbox = this.outboxOf(connectionId, name, scope);
      if (canPostToEach && !outbox.sending && outbox.pending.length === 0) {
        outbox.sending = true;
        idle.push(outbox);
      } else {
        this.enqueue(outbox, change);
      }
    }
    if (idle.length > 0) void this.sendToEach(idle, change);
  }

  private outboxOf(connectionId: string, name: string, scope: DataScopeKey): Outbox {
    let ofKey = this.outboxes.get(name);
    if (!ofKey) this.outboxes.set(name, (ofKey = new Map<string, Outbox>()));
    let outbox = ofKey.get(connectionId);
    if (!outbox) ofKey.set(connectionId, (outbox = { connectionId, name, scope, pending: [], sending: false }));
    return outbox;
  }

  /** The one `data.changed` message of a change, shared by every connection it goes to alone. */
  private singleMessage(change: DataChange, key: DataScopeKey): ServerMessage {
    let message = this.singleMessages.get(change);
    if (!message) {
      message = { type: 'data.changed', appId: key.appId, scope: key.scope, collection: key.collection, change };
      this.singleMessages.set(change, message);
    }
    return message;
  }

  /**
   * One change to every idle connection in one `postToEach` (serialized once, written in one
   * loop). Each connection then goes on as after any push: a failure gets the rest of the retry
   * policy, gone or closed connections are forgotten, and changes that queued meanwhile follow.
   */
  private async sendToEach(outboxes: Outbox[], change: DataChange): Promise<void> {
    const [first] = outboxes;
    const postToEach = this.options.pusher.postToEach?.bind(this.options.pusher);
    if (!first || !postToEach) return;
    const message = this.singleMessage(change, first.scope);
    let outcomes: PostOutcome[];
    try {
      outcomes = await postToEach(
        outboxes.map((outbox) => outbox.connectionId),
        message,
      );
    } catch (failure) {
      outcomes = outboxes.map(() => ({ failed: failure }));
    }
    outboxes.forEach((outbox, index) => {
      const outcome = outcomes[index] ?? { failed: new Error('postToEach answered no outcome for this connection') };
      if (outcome === 'sent') return this.sent(outbox, 1);
      if (outcome === 'gone') return void this.forget(outbox.connectionId);
      void this.deliver(outbox.connectionId, message, { failure: outcome.failed }).then((retried) =>
        retried === 'sent' ? this.sent(outbox, 1) : this.forget(outbox.connectionId),
      );
    });
  }

  /** After a push to `outbox` carried `count` changes: what queued meanwhile goes out next, else it is released. */
  private sent(outbox: Outbox, count: number): void {
    this.delivered += count;
    if (outbox.pending.length > 0) void this.drain(outbox);
    else this.release(outbox);
  }

  private release(outbox: Outbox): void {
    outbox.sending = false;
    const ofKey = this.outboxes.get(outbox.name);
    if (ofKey?.get(outbox.connectionId) === outbox) ofKey.delete(outbox.connectionId);
    if (ofKey?.size === 0) this.outboxes.delete(outbox.name);
  }

  /**
   * Queues a change for one connection and starts a sender if none runs. While a push is in
   * flight, later changes wait and go out together as one `data.changes` frame: no extra latency
   * when idle, fewer pushes under load, and the order per connection is kept.
   */
  private enqueue(outbox: Outbox, change: DataChange): void {
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
      const message: ServerMessage = only
        ? this.singleMessage(only, outbox.scope)
        : { type: 'data.changes', appId, scope, collection, changes: batch };
      const outcome = await this.deliver(outbox.connectionId, message);
      if (outcome !== 'sent') {
        await this.forget(outbox.connectionId);
        return;
      }
      this.delivered += batch.length;
    }
    this.release(outbox);
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
