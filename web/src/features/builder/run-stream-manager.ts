import type { ClientMessage, RunEvent, ServerMessage } from '@hangar/protocol';
import { api } from '../../lib/api';
import { ReconnectingSocket } from './reconnecting-socket';

/** What a component sees of one run's stream. */
export type RunStreamSnapshot = {
  events: readonly RunEvent[];
  /** Whether this tab's WebSocket is open. */
  connected: boolean;
  /** Why the server refused the subscription, if it did. */
  error: string | null;
};

type RunEventListener = (event: RunEvent) => void;

type RunStream = {
  workspaceId: string;
  runId: string;
  events: RunEvent[];
  seen: Set<string>;
  refs: number;
  notify: Set<() => void>;
  listeners: Set<RunEventListener>;
  snapshot: RunStreamSnapshot;
  error: string | null;
  dirty: boolean;
  releaseTimer: ReturnType<typeof setTimeout> | undefined;
};

/** The socket as the manager uses it; `ReconnectingSocket` in the browser, a fake in tests. */
export type RunStreamSocket = { connect: () => void; send: (message: ClientMessage) => boolean; close: () => void };
type SocketHandlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

export type RunStreamManagerOptions = {
  createSocket?: (handlers: SocketHandlers) => RunStreamSocket;
  /** The REST catch-up used while the socket is down. */
  listRunEvents?: (workspaceId: string, runId: string, after?: string) => Promise<{ items: readonly RunEvent[] }>;
};

const emptySnapshot: RunStreamSnapshot = { events: [], connected: false, error: null };
/** Unsubscribing waits a moment so a remount (StrictMode, tab switches) does not churn the socket. */
const releaseDelayMs = 2_000;
/** While the socket is down, runs catch up over REST at this pace, so the page never freezes. */
const pollIntervalMs = 3_000;
/** Snapshots are published at most this often: a backlog of thousands of deltas renders a few times. */
const flushDelayMs = 16;

/**
 * Every run stream of the tab over one shared WebSocket. Subscriptions are ref-counted; on
 * reconnect each run resubscribes after the last event id it holds, and events are deduplicated
 * by id, so nothing is lost or shown twice.
 */
export class RunStreamManager {
  private readonly socket: RunStreamSocket;
  private readonly listRunEvents: NonNullable<RunStreamManagerOptions['listRunEvents']>;
  private connected = false;
  private nextRequest = 1;
  private readonly requests = new Map<string, string>();
  private readonly runs = new Map<string, RunStream>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RunStreamManagerOptions = {}) {
    const createSocket = options.createSocket ?? ((handlers: SocketHandlers) => new ReconnectingSocket(handlers));
    this.listRunEvents = options.listRunEvents ?? ((workspaceId, runId, after) => api.listRunEvents(workspaceId, runId, after));
    this.socket = createSocket({
      onOpen: () => this.opened(),
      onMessage: (message) => this.receive(message),
      onClose: () => this.closed(),
    });
  }

  /** Starts (or joins) the stream of a run; the returned function leaves it. */
  acquire(workspaceId: string, runId: string, notify: () => void, listener?: RunEventListener): () => void {
    const stream = this.runs.get(runId) ?? this.create(workspaceId, runId);
    const alreadySubscribed = stream.refs > 0 || stream.releaseTimer !== undefined;
    clearTimeout(stream.releaseTimer);
    stream.releaseTimer = undefined;
    stream.refs += 1;
    stream.notify.add(notify);
    if (listener) stream.listeners.add(listener);
    this.socket.connect();
    if (!alreadySubscribed && this.connected) this.subscribe(stream);

    return () => {
      stream.notify.delete(notify);
      if (listener) stream.listeners.delete(listener);
      stream.refs -= 1;
      if (stream.refs === 0) stream.releaseTimer = setTimeout(() => this.drop(stream), releaseDelayMs);
    };
  }

  /** Every event of a run received so far, including those not yet in its snapshot (which is published a moment later). */
  eventsOf(runId: string): readonly RunEvent[] {
    return this.runs.get(runId)?.events.slice() ?? [];
  }

  snapshot(runId: string): RunStreamSnapshot {
    return this.runs.get(runId)?.snapshot ?? emptySnapshot;
  }

  private create(workspaceId: string, runId: string): RunStream {
    const stream: RunStream = {
      workspaceId,
      runId,
      events: [],
      seen: new Set(),
      refs: 0,
      notify: new Set(),
      listeners: new Set(),
      snapshot: { events: [], connected: this.connected, error: null },
      error: null,
      dirty: false,
      releaseTimer: undefined,
    };
    this.runs.set(runId, stream);
    return stream;
  }

  private drop(stream: RunStream) {
    if (stream.refs > 0) return;
    this.runs.delete(stream.runId);
    this.socket.send({ type: 'run.unsubscribe', runId: stream.runId });
    if (this.runs.size === 0) this.socket.close();
  }

  private opened() {
    this.setConnected(true);
    for (const stream of this.runs.values()) this.subscribe(stream);
  }

  private closed() {
    this.setConnected(false);
    if (this.pollTimer !== undefined || this.runs.size === 0) return;
    this.pollTimer = setInterval(() => {
      if (this.connected || this.runs.size === 0) {
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
        return;
      }
      for (const stream of this.runs.values()) void this.catchUp(stream);
    }, pollIntervalMs);
  }

  private async catchUp(stream: RunStream) {
    try {
      const page = await this.listRunEvents(stream.workspaceId, stream.runId, stream.events.at(-1)?.id);
      for (const event of page.items) this.append(stream.runId, event);
    } catch {
      // The socket's reconnect is the real recovery; a failed catch-up waits for the next tick.
    }
  }

  private subscribe(stream: RunStream) {
    const id = `sub-${this.nextRequest++}`;
    this.requests.set(id, stream.runId);
    const after = stream.events.at(-1)?.id;
    this.socket.send({ type: 'run.subscribe', id, workspaceId: stream.workspaceId, runId: stream.runId, ...(after ? { after } : {}) });
  }

  private receive(message: ServerMessage) {
    switch (message.type) {
      case 'run.event':
        return this.append(message.runId, message.event);
      case 'run.subscribed': {
        if (message.id) this.requests.delete(message.id);
        const stream = this.runs.get(message.runId);
        if (stream?.error) this.publish(Object.assign(stream, { error: null }));
        return;
      }
      case 'session.error': {
        const runId = message.id ? this.requests.get(message.id) : undefined;
        if (message.id) this.requests.delete(message.id);
        const stream = runId ? this.runs.get(runId) : undefined;
        if (stream) return this.publish(Object.assign(stream, { error: message.message }));
        // A stream that broke server-side asks to be resubscribed: every run picks up after its last id.
        if (message.code === 'subscription_failed') for (const each of this.runs.values()) this.subscribe(each);
        return;
      }
      case 'subscription.revoked': {
        // Access was withdrawn: the server sends nothing more for this run; say so instead of going quiet.
        const stream = message.subscription.kind === 'run' ? this.runs.get(message.subscription.runId) : undefined;
        if (stream) this.publish(Object.assign(stream, { error: message.reason }));
        return;
      }
      case 'session.pong':
      case 'session.notice':
      case 'data.subscribed':
      case 'data.changed':
      case 'data.changes':
      case 'data.reload':
      case 'workspace.subscribed':
      case 'workspace.event':
        return;
      default: {
        const unexpected: never = message;
        return unexpected;
      }
    }
  }

  private append(runId: string, event: RunEvent) {
    const stream = this.runs.get(runId);
    if (!stream || event.runId !== runId || stream.seen.has(event.id)) return;
    stream.seen.add(event.id);
    stream.events.push(event);
    stream.dirty = true;
    for (const listener of stream.listeners) listener(event);
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      for (const each of this.runs.values()) if (each.dirty) this.publish(each);
    }, flushDelayMs);
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const stream of this.runs.values()) this.publish(stream);
  }

  private publish(stream: RunStream) {
    stream.dirty = false;
    stream.snapshot = { events: stream.events.slice(), connected: this.connected, error: stream.error };
    for (const notify of stream.notify) notify();
  }
}

/** The one manager of this tab. */
export const runStreams = new RunStreamManager();
