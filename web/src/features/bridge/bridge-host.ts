import type { AppDocument, BridgeRequest, BridgeWritable, DataPage, DataQuery, DataScope } from '@hangar/protocol';
import { AgentBridge, type AgentRunMemory, type BridgeAgentClient, type BridgeRunStreams } from './agent-bridge';
import { acceptAppMessage, BridgeFailure, postToApp, toBridgeError, type IncomingMessage, type PostTarget } from './bridge-messages';
import { browserTimers, ChangeBatcher, type Timers } from './change-batcher';
import type { DataStreamListener, DataStreamTarget } from './data-stream-manager';

/** The data calls the bridge makes, as the console's identity (the app itself holds no credentials). */
export type BridgeDataClient = {
  listDocuments: (workspaceId: string, appId: string, scope: DataScope, collection: string, query?: DataQuery) => Promise<DataPage>;
  getDocument: (workspaceId: string, appId: string, scope: DataScope, collection: string, documentId: string) => Promise<AppDocument>;
  insertDocument: (
    workspaceId: string,
    appId: string,
    scope: DataScope,
    collection: string,
    data: Record<string, unknown>,
  ) => Promise<AppDocument>;
  updateDocument: (
    workspaceId: string,
    appId: string,
    scope: DataScope,
    collection: string,
    documentId: string,
    data: Record<string, unknown>,
  ) => Promise<AppDocument>;
  removeDocument: (workspaceId: string, appId: string, scope: DataScope, collection: string, documentId: string) => Promise<unknown>;
};

export type BridgeStreams = { acquire: (target: DataStreamTarget, listener: DataStreamListener) => () => void };

export type BridgeHostOptions = {
  workspaceId: string;
  appId: string;
  scope: DataScope;
  readOnly: boolean;
  /** Which collections the person may write (published apps), handed to the app with `ready`. */
  writable?: BridgeWritable;
  /** The preview iframe's current window: the only sender accepted and the only recipient. */
  target: () => PostTarget | null | undefined;
  data: BridgeDataClient;
  streams: BridgeStreams;
  timers?: Timers;
  /** A write through the bridge succeeded (e.g. to refresh the data explorer). */
  onWrite?: (collection: string) => void;
  /** App agents (`useAgent`, `useAgentList`); without them agent requests answer `unavailable`. */
  agents?: { client: BridgeAgentClient; runs: BridgeRunStreams; memory: AgentRunMemory };
};

/** How long a `subscribe` request waits for the server's confirmation before answering anyway. */
const subscribeWaitMs = 5_000;

/**
 * The console's side of the app bridge for one preview: validates what the app posts, runs its
 * data requests through the API, and forwards live changes in batches. Free of React and the
 * DOM so it can be tested with a fake window.
 */
export class BridgeHost {
  private readonly subscriptions = new Map<string, { count: number; release: () => void }>();
  private readonly batcher: ChangeBatcher;
  private readonly agents: AgentBridge | null;
  private disposed = false;

  constructor(private readonly options: BridgeHostOptions) {
    this.batcher = new ChangeBatcher(
      (collection, changes) => postToApp(this.options.target(), { kind: 'changes', collection, changes }),
      options.timers ?? browserTimers,
    );
    const { workspaceId, appId, scope } = options;
    this.agents = options.agents
      ? new AgentBridge({
          workspaceId,
          appId,
          scope,
          ...options.agents,
          push: (run) => {
            if (!this.disposed) postToApp(this.options.target(), { kind: 'agentRun', run });
          },
        })
      : null;
  }

  /** Handles one `message` event of the console window; anything not from the preview is dropped. */
  handleEvent(event: IncomingMessage) {
    if (this.disposed) return;
    const source = this.options.target();
    const message = acceptAppMessage(event, source);
    if (!message || !source) return;
    if (message.kind === 'hello') {
      // A (re)loaded document: whatever the previous one subscribed to is gone with it.
      this.releaseAll();
      const { appId, scope, readOnly, writable } = this.options;
      postToApp(source, { kind: 'ready', appId, scope, readOnly, ...(writable ? { writable } : {}) });
      return;
    }
    void this.answer(source, message);
  }

  dispose() {
    this.disposed = true;
    this.releaseAll();
  }

  private async answer(source: PostTarget, request: BridgeRequest) {
    let reply: { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
    try {
      reply = { ok: true, result: (await this.perform(request)) ?? null };
    } catch (error) {
      reply = { ok: false, error: toBridgeError(error) };
    }
    // Answer only the document that asked: after a reload the window object is a new one.
    if (this.disposed || this.options.target() !== source) return;
    postToApp(source, { kind: 'response', id: request.id, ...reply });
  }

  private async perform(request: BridgeRequest): Promise<unknown> {
    switch (request.op) {
      case 'listAgents':
        return this.agentBridge().listAgents();
      case 'triggerAgent':
        return this.agentBridge().trigger(request.agentId, request.input);
      case 'watchAgentRun':
        return this.agentBridge().watch(request.agentId, request.runId);
      case 'unwatchAgentRun':
        return this.agentBridge().unwatch(request.runId);
      default:
        return this.performData(request);
    }
  }

  private agentBridge(): AgentBridge {
    if (!this.agents) throw new BridgeFailure('unavailable', 'App agents are not available in this view.');
    return this.agents;
  }

  private async performData(
    request: Exclude<BridgeRequest, { op: 'listAgents' | 'triggerAgent' | 'watchAgentRun' | 'unwatchAgentRun' }>,
  ): Promise<unknown> {
    const { workspaceId, appId, scope, data } = this.options;
    const { collection } = request;
    switch (request.op) {
      case 'list':
        return data.listDocuments(workspaceId, appId, scope, collection, request.query);
      case 'get':
        return data.getDocument(workspaceId, appId, scope, collection, request.documentId);
      case 'insert':
        return this.write(collection, () => data.insertDocument(workspaceId, appId, scope, collection, request.data));
      case 'update':
        return this.write(collection, () => data.updateDocument(workspaceId, appId, scope, collection, request.documentId, request.data));
      case 'remove':
        return this.write(collection, () => data.removeDocument(workspaceId, appId, scope, collection, request.documentId));
      case 'subscribe':
        return this.subscribe(collection);
      case 'unsubscribe':
        return this.unsubscribe(collection);
      default: {
        const unexpected: never = request;
        return unexpected;
      }
    }
  }

  private async write<T>(collection: string, call: () => Promise<T>): Promise<T | null> {
    if (this.options.readOnly) throw new BridgeFailure('forbidden', 'This preview is read-only: your role may not change its data.');
    const result = await call();
    this.options.onWrite?.(collection);
    return result ?? null;
  }

  /** Ref-counted per collection; resolves once the server confirms (or after a short wait while offline). */
  private subscribe(collection: string): Promise<null> {
    const existing = this.subscriptions.get(collection);
    if (existing) {
      existing.count += 1;
      return Promise.resolve(null);
    }
    const timers = this.options.timers ?? browserTimers;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: BridgeFailure) => {
        if (settled) return;
        settled = true;
        timers.clearTimeout(timer);
        if (error) reject(error);
        else resolve(null);
      };
      const timer = timers.setTimeout(() => settle(), subscribeWaitMs);
      const { workspaceId, appId, scope } = this.options;
      const release = this.options.streams.acquire({ workspaceId, appId, scope, collection }, (event) => {
        if (event.type === 'subscribed') settle();
        else if (event.type === 'change') this.batcher.push(collection, event.change);
        else if (event.type === 'reload') {
          // After the changes before it, so the app's read lands on top of them.
          this.batcher.flush();
          postToApp(this.options.target(), { kind: 'reload', collection, documentId: event.change.documentId });
        } else if (event.type === 'resync') {
          this.batcher.drop(collection);
          postToApp(this.options.target(), { kind: 'resync', collection });
        } else if (!settled) {
          this.dropSubscription(collection);
          settle(new BridgeFailure(event.code, event.message));
        } else {
          // A live subscription ended server-side (access revoked, feed broken): the app reloads,
          // and a read it may no longer make shows as its query's error instead of stale data.
          this.dropSubscription(collection);
          postToApp(this.options.target(), { kind: 'resync', collection });
        }
      });
      this.subscriptions.set(collection, { count: 1, release });
    });
  }

  private unsubscribe(collection: string): null {
    const subscription = this.subscriptions.get(collection);
    if (subscription && --subscription.count <= 0) this.dropSubscription(collection);
    return null;
  }

  private dropSubscription(collection: string) {
    this.subscriptions.get(collection)?.release();
    this.subscriptions.delete(collection);
    this.batcher.drop(collection);
  }

  private releaseAll() {
    this.agents?.releaseAll();
    for (const subscription of this.subscriptions.values()) subscription.release();
    this.subscriptions.clear();
    this.batcher.clear();
  }
}
