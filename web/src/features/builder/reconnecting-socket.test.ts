import type { ClientMessage, ServerMessage } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket, type WebSocketLike } from './reconnecting-socket';

/** A scripted WebSocket: the test opens, closes and sends into it by hand. */
class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closeCalls = 0;
  private readonly listeners = new Map<string, ((message: { data: unknown }) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (message: { data: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closeCalls += 1;
  }
  serverOpens() {
    this.readyState = 1;
    this.fire('open', { data: undefined });
  }
  serverCloses() {
    this.readyState = 3;
    this.fire('close', { data: undefined });
  }
  serverSends(data: unknown) {
    this.fire('message', { data });
  }
  private fire(type: string, message: { data: unknown }) {
    for (const listener of this.listeners.get(type) ?? []) listener(message);
  }
}

function setup() {
  const sockets: FakeWebSocket[] = [];
  let identity: string | null = 'usr_ada';
  const handlers = { onOpen: vi.fn(), onMessage: vi.fn<(message: ServerMessage) => void>(), onClose: vi.fn() };
  const socket = new ReconnectingSocket(handlers, {
    createWebSocket: (url) => {
      const created = new FakeWebSocket(url);
      sockets.push(created);
      return created;
    },
    url: (who) => `ws://hangar.test/ws${who ? `?identity=${who}` : ''}`,
    identity: () => identity,
    // No jitter: the middle of the 0.75–1.25 band, so delays are exactly 500 ms, 1 s, 2 s…
    random: () => 0.5,
  });
  return { socket, sockets, handlers, latest: () => sockets.at(-1) as FakeWebSocket, switchTo: (who: string | null) => (identity = who) };
}

const ping: ClientMessage = { type: 'session.ping' };
const pong: ServerMessage = { type: 'session.pong', connectionId: 'c1', identityId: 'usr_ada', time: '2026-12-01T20:00:00.000Z' };

describe('ReconnectingSocket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens one socket as the tab identity, however often connect is called', () => {
    const { socket, sockets, handlers, latest } = setup();
    socket.connect();
    socket.connect();
    expect(sockets.map((each) => each.url)).toEqual(['ws://hangar.test/ws?identity=usr_ada']);
    expect(socket.open).toBe(false);
    expect(socket.send(ping)).toBe(false);
    latest().serverOpens();
    expect(handlers.onOpen).toHaveBeenCalledTimes(1);
    expect(socket.open).toBe(true);
    expect(socket.send(ping)).toBe(true);
    expect(latest().sent).toEqual([JSON.stringify(ping)]);
  });

  it('hands on only text frames that parse as server messages', () => {
    const { socket, handlers, latest } = setup();
    socket.connect();
    latest().serverOpens();
    latest().serverSends('not json');
    latest().serverSends(JSON.stringify({ type: 'session.pong' }));
    latest().serverSends(JSON.stringify({ type: 'made.up', connectionId: 'c1' }));
    latest().serverSends(new ArrayBuffer(4));
    latest().serverSends(JSON.stringify(pong));
    expect(handlers.onMessage.mock.calls).toEqual([[pong]]);
  });

  it('reconnects with exponential backoff, capped at 10 s, and starts over after a successful open', () => {
    const { socket, sockets, handlers, latest } = setup();
    socket.connect();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      latest().serverCloses();
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(handlers.onClose).toHaveBeenCalledTimes(7);

    latest().serverOpens();
    latest().serverCloses();
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(8);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(9);
  });

  it('stays closed after close(): no reconnect, one onClose, and events of the old socket are ignored', () => {
    const { socket, sockets, handlers, latest } = setup();
    socket.connect();
    const first = latest();
    first.serverOpens();
    socket.close();
    expect(first.closeCalls).toBe(1);
    expect(handlers.onClose).toHaveBeenCalledTimes(1);
    first.serverCloses();
    first.serverSends(JSON.stringify(pong));
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(handlers.onClose).toHaveBeenCalledTimes(1);
    expect(handlers.onMessage).not.toHaveBeenCalled();
  });

  it('cancels a scheduled reconnect on close()', () => {
    const { socket, sockets, latest } = setup();
    socket.connect();
    latest().serverCloses();
    socket.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reopens as the new identity when the tab switched identity', () => {
    const { socket, sockets, latest, switchTo } = setup();
    socket.connect();
    latest().serverOpens();
    switchTo('usr_bob');
    socket.connect();
    expect(latest().closeCalls).toBe(1);
    latest().serverCloses();
    vi.advanceTimersByTime(500);
    expect(sockets.map((each) => each.url)).toEqual(['ws://hangar.test/ws?identity=usr_ada', 'ws://hangar.test/ws?identity=usr_bob']);
  });
});
