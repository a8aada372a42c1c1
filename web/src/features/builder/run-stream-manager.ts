import { ServerMessage, type ClientMessage, type RunEvent } from '@hangar/protocol';
import { readActiveIdentity } from '../../lib/active-identity';
import { api } from '../../lib/api';

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
  onEvent: Set<RunEventListener>;
  snapshot: RunStreamSnapshot;
  error: string | null;
  releaseTimer: number | undefined;
  dirty: boolean;
};

const emptySnapshot: RunStreamSnapshot = { events: [], connected: false, error: null };
const minBackoffMs = 500;
const maxBackoffMs = 10_000;
/** Unsubscribing waits a moment so a remount (StrictMode, tab switches) does not churn the socket. */
const releaseDelayMs = 2_000;
/** While the socket is down, runs catch up over REST at this pace so the page never freezes. */
const pollIntervalMs = 3_000;
/** Snapshots are published at most this often: a backlog of thousands of deltas renders a few times, not thousands. */
const flushDelayMs = 16;

/**
 * One WebSocket per tab, shared by every run being watched. Subscriptions are ref-counted; on
 * reconnect each run resubscribes from the last event id it holds, and events are deduplicated
 * by id, so nothing is lost or shown twice.
 */
export class RunStreamManager {
  private socket: WebSocket | null = null;
  private socketIdentity: string | null = null;
  private connected = false;
  private attempts = 0;
  private reconnectTimer: number | undefined;
  private nextRequest = 1;
  private readonly requests = new Map<string, string>();
  private readonly runs = new Map<string, RunStream>();
  private flushTimer: number | undefined;
  private pollTimer: number | undefined;

  /** Starts (or joins) the stream of a run; the returned function leaves it. */
  acquire(workspaceId: string, runId: string, notify: () => void, onEvent?: RunEventListener): () => void {
    let stream = this.runs.get(runId);
    if (!stream) {
      stream = {
        ...{ workspaceId, runId, events: [], seen: new Set<string>(), refs: 0, notify: new Set<() => void>() },
        ...{ onEvent: new Set<RunEventListener>(), snapshot: emptySnapshot, error: null, releaseTimer: undefined, dirty: false },
      };
      this.runs.set(runId, stream);
      stream.snapshot = { events: [], connected: this.connected, error: null };
    }
    window.clearTimeout(stream.releaseTimer);
    const isNew = stream.refs === 0 && stream.releaseTimer === undefined;
    stream.releaseTimer = undefined;
    stream.refs += 1;
    stream.notify.add(notify);
    if (onEvent) stream.onEvent.add(onEvent);
    if (this.socket && this.socketIdentity !== readActiveIdentity()) this.socket.close();
    this.ensureSocket();
    if (isNew && this.connected) this.subscribe(stream);

    const current = stream;
    return () => {
      current.notify.delete(notify);
      if (onEvent) current.onEvent.delete(onEvent);
      current.refs -= 1;
      if (current.refs > 0) return;
      current.releaseTimer = window.setTimeout(() => this.drop(current), releaseDelayMs);
    };
  }

  snapshot(runId: string): RunStreamSnapshot {
    return this.runs.get(runId)?.snapshot ?? emptySnapshot;
  }

  private drop(stream: RunStream) {
    if (stream.refs > 0) return;
    this.runs.delete(stream.runId);
    this.send({ type: 'run.unsubscribe', runId: stream.runId });
    if (this.runs.size === 0) this.closeSocket();
  }

  private startPolling() {
    if (this.pollTimer !== undefined) return;
    this.pollTimer = window.setInterval(() => {
      if (this.connected || this.runs.size === 0) {
        window.clearInterval(this.pollTimer);
        this.pollTimer = undefined;
        return;
      }
      for (const stream of this.runs.values()) void this.catchUp(stream);
    }, pollIntervalMs);
  }

  private async catchUp(stream: RunStream) {
    try {
      const page = await api.listRunEvents(stream.workspaceId, stream.runId, stream.events.at(-1)?.id);
      for (const event of page.items) this.append(stream.runId, event);
    } catch {
      // The socket's reconnect is the real recovery; a failed catch-up simply waits for the next tick.
    }
  }

  private ensureSocket() {
    if (this.socket || this.reconnectTimer !== undefined || this.runs.size === 0) return;
    const identity = readActiveIdentity();
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = identity ? `?identity=${encodeURIComponent(identity)}` : '';
    const socket = new WebSocket(`${protocol}//${window.location.host}/ws${query}`);
    this.socket = socket;
    this.socketIdentity = identity;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempts = 0;
      this.setConnected(true);
      for (const stream of this.runs.values()) this.subscribe(stream);
    });
    socket.addEventListener('message', (message) => {
      if (this.socket === socket && typeof message.data === 'string') this.receive(message.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setConnected(false);
      this.scheduleReconnect();
      this.startPolling();
    });
  }

  private scheduleReconnect() {
    if (this.runs.size === 0) return;
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts += 1;
    this.reconnectTimer = window.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ensureSocket();
    }, delay);
  }

  private closeSocket() {
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = null;
    this.attempts = 0;
    this.setConnected(false);
    window.clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    socket?.close();
  }

  private subscribe(stream: RunStream) {
    const id = `sub-${this.nextRequest++}`;
    this.requests.set(id, stream.runId);
    const after = stream.events.at(-1)?.id;
    this.send({ type: 'run.subscribe', id, workspaceId: stream.workspaceId, runId: stream.runId, ...(after ? { after } : {}) });
  }

  private send(message: ClientMessage) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: string) {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'run.event':
        return this.append(message.runId, message.event);
      case 'run.subscribed': {
        if (message.id) this.requests.delete(message.id);
        const stream = this.runs.get(message.runId);
        if (stream?.error) this.setError(stream, null);
        return;
      }
      case 'session.error':
        return this.refused(message.id, message.code, message.message);
      case 'session.pong':
      case 'session.notice':
        return;
      default: {
        const unexpected: never = message;
        return unexpected;
      }
    }
  }

  private refused(requestId: string | undefined, code: string, text: string) {
    const runId = requestId ? this.requests.get(requestId) : undefined;
    if (requestId) this.requests.delete(requestId);
    const stream = runId ? this.runs.get(runId) : undefined;
    if (stream) return this.setError(stream, text);
    // A stream that broke server-side asks to be resubscribed; every run picks up from its last id.
    if (code === 'subscription_failed') for (const each of this.runs.values()) this.subscribe(each);
  }

  private append(runId: string, event: RunEvent) {
    const stream = this.runs.get(runId);
    if (!stream || stream.seen.has(event.id) || event.runId !== runId) return;
    stream.seen.add(event.id);
    stream.events.push(event);
    stream.dirty = true;
    this.scheduleFlush();
    for (const listener of stream.onEvent) listener(event);
  }

  private setError(stream: RunStream, error: string | null) {
    stream.error = error;
    this.refreshSnapshot(stream);
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const stream of this.runs.values()) this.refreshSnapshot(stream);
  }

  private scheduleFlush() {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = window.setTimeout(() => {
      this.flushTimer = undefined;
      for (const stream of this.runs.values()) if (stream.dirty) this.refreshSnapshot(stream);
    }, flushDelayMs);
  }

  private refreshSnapshot(stream: RunStream) {
    stream.dirty = false;
    stream.snapshot = { events: stream.events.slice(), connected: this.connected, error: stream.error };
    for (const notify of stream.notify) notify();
  }
}

/** The one manager of this tab. */
export const runStreams = new RunStreamManager();
