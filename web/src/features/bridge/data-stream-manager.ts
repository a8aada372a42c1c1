import type { ClientMessage, DataChange, DataChangeNotice, ServerMessage } from '@hangar/protocol';
import { ReconnectingSocket } from '../builder/reconnecting-socket';
import { streamKey, type DataStreamTarget } from './stream-key';

export type { DataStreamTarget } from './stream-key';
import { SequenceTracker } from './sequence-tracker';

/**
 * What a subscriber hears: subscribed, an in-order change, an in-order "this document changed
 * but was too large to push, read it" (`reload`), a refusal, or "reload everything".
 */
export type DataStreamEvent =
  | { type: 'subscribed' }
  | { type: 'change'; change: DataChange }
  | { type: 'reload'; change: DataChangeNotice }
  | { type: 'resync' }
  | { type: 'error'; code: string; message: string };

export type DataStreamListener = (event: DataStreamEvent) => void;

/** The socket as the manager uses it; `ReconnectingSocket` in the browser, a fake in tests. */
export type StreamSocket = { connect: () => void; send: (message: ClientMessage) => boolean; close: () => void };
type SocketHandlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

type Stream = DataStreamTarget & {
  key: string;
  refs: number;
  listeners: Set<DataStreamListener>;
  state: 'pending' | 'subscribed' | 'error';
  /** Set when the socket dropped: the next `data.subscribed` tells subscribers to reload. */
  missedChanges: boolean;
  releaseTimer: ReturnType<typeof setTimeout> | undefined;
};

/** Unsubscribing waits a moment so a remount (StrictMode, tab switches) does not churn the socket. */
const releaseDelayMs = 2_000;

/**
 * Every live-data subscription of the tab over one WebSocket, ref-counted per (app, scope,
 * collection). Changes reach listeners only in sequence: a gap, a new epoch or a reconnect
 * becomes a `resync` event instead, so no reader silently misses a write.
 */
export class DataStreamManager {
  private readonly socket: StreamSocket;
  private readonly streams = new Map<string, Stream>();
  private readonly requests = new Map<string, string>();
  private readonly sequences = new SequenceTracker();
  private connected = false;
  private nextRequest = 1;

  constructor(createSocket: (handlers: SocketHandlers) => StreamSocket = (handlers) => new ReconnectingSocket(handlers)) {
    this.socket = createSocket({
      onOpen: () => this.opened(),
      onMessage: (message) => this.receive(message),
      onClose: () => this.closed(),
    });
  }

  /** Joins (or starts) a stream; the returned function leaves it. */
  acquire(target: DataStreamTarget, listener: DataStreamListener): () => void {
    const key = streamKey(target);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { ...target, key, refs: 0, listeners: new Set(), state: 'pending', missedChanges: false, releaseTimer: undefined };
      this.streams.set(key, stream);
    }
    const active = stream;
    const alreadySubscribed = active.refs > 0 || active.releaseTimer !== undefined;
    clearTimeout(active.releaseTimer);
    active.releaseTimer = undefined;
    active.refs += 1;
    active.listeners.add(listener);
    this.socket.connect();
    // A refused stream is asked again when someone new joins: access may have changed since.
    if ((!alreadySubscribed || active.state === 'error') && this.connected) this.subscribe(active);
    else if (active.state === 'subscribed') listener({ type: 'subscribed' });

    let released = false;
    return () => {
      if (released) return;
      released = true;
      active.listeners.delete(listener);
      active.refs -= 1;
      if (active.refs === 0) active.releaseTimer = setTimeout(() => this.drop(active), releaseDelayMs);
    };
  }

  /** Whether the stream is confirmed by the server right now. */
  state(target: DataStreamTarget): Stream['state'] | 'idle' {
    return this.streams.get(streamKey(target))?.state ?? 'idle';
  }

  private drop(stream: Stream) {
    if (stream.refs > 0 || this.streams.get(stream.key) !== stream) return;
    this.streams.delete(stream.key);
    this.sequences.reset(stream.key);
    this.socket.send({ type: 'data.unsubscribe', appId: stream.appId, scope: stream.scope, collection: stream.collection });
    if (this.streams.size === 0) this.socket.close();
  }

  private subscribe(stream: Stream) {
    const id = `data-${this.nextRequest++}`;
    this.requests.set(id, stream.key);
    stream.state = 'pending';
    const { workspaceId, appId, scope, collection } = stream;
    this.socket.send({ type: 'data.subscribe', id, workspaceId, appId, scope, collection });
  }

  private opened() {
    this.connected = true;
    for (const stream of this.streams.values()) this.subscribe(stream);
  }

  private closed() {
    this.connected = false;
    this.requests.clear();
    this.sequences.reset();
    for (const stream of this.streams.values()) {
      if (stream.state === 'subscribed') stream.missedChanges = true;
      stream.state = 'pending';
    }
  }

  private receive(message: ServerMessage) {
    if (message.type === 'session.error') {
      const key = message.id ? this.requests.get(message.id) : undefined;
      if (message.id) this.requests.delete(message.id);
      const stream = key ? this.streams.get(key) : undefined;
      if (stream) {
        stream.state = 'error';
        return this.emit(stream, { type: 'error', code: message.code, message: message.message });
      }
      // A feed that broke server-side asks to be resubscribed; what it missed is reloaded.
      if (message.code === 'subscription_failed') this.resubscribeAll();
      return;
    }
    if (message.type === 'subscription.revoked') {
      // Access was withdrawn server-side: the feed is over, and the app shows why.
      const stream = message.subscription.kind === 'data' ? this.streams.get(streamKey(message.subscription)) : undefined;
      if (!stream) return;
      stream.state = 'error';
      return this.emit(stream, { type: 'error', code: 'forbidden', message: message.reason });
    }
    if (
      message.type !== 'data.subscribed' &&
      message.type !== 'data.changed' &&
      message.type !== 'data.changes' &&
      message.type !== 'data.reload'
    )
      return;
    const stream = this.streams.get(streamKey(message));
    if (!stream) return;
    if (message.type === 'data.subscribed') {
      if (message.id) this.requests.delete(message.id);
      stream.state = 'subscribed';
      this.sequences.start(stream.key, message.epoch, message.seq);
      this.emit(stream, { type: 'subscribed' });
      if (stream.missedChanges) {
        stream.missedChanges = false;
        this.emit(stream, { type: 'resync' });
      }
      return;
    }
    // A refused or revoked stream takes nothing more, even a push that was already in flight.
    if (stream.state === 'error') return;
    if (message.type === 'data.reload') {
      if (this.sequences.check(stream.key, message.change) !== 'in-order') return this.emit(stream, { type: 'resync' });
      return this.emit(stream, { type: 'reload', change: message.change });
    }
    // A batch is the same as its changes one by one; the first gap ends it with a resync.
    for (const change of message.type === 'data.changes' ? message.changes : [message.change]) {
      if (this.sequences.check(stream.key, change) !== 'in-order') return this.emit(stream, { type: 'resync' });
      this.emit(stream, { type: 'change', change });
    }
  }

  private resubscribeAll() {
    this.sequences.reset();
    for (const stream of this.streams.values()) {
      stream.missedChanges = true;
      this.subscribe(stream);
    }
  }

  private emit(stream: Stream, event: DataStreamEvent) {
    for (const listener of [...stream.listeners]) listener(event);
  }
}

/** The one manager of this tab. */
export const dataStreams = new DataStreamManager();
