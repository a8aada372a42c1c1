import { ServerMessage, type ClientMessage } from '@hangar/protocol';
import { readActiveIdentity } from '../../lib/active-identity';
import { currentOidcToken } from '../auth/oidc-session';

type SocketHandlers = {
  onOpen: () => void;
  onMessage: (message: ServerMessage) => void;
  onClose: () => void;
};

/** The parts of a browser `WebSocket` the class uses, so tests can pass a scripted one. */
export type WebSocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (message: { data: unknown }) => void): void;
};

export type ReconnectingSocketOptions = {
  /** Opens a socket to a URL; the browser's `WebSocket` by default. */
  createWebSocket?: (url: string) => WebSocketLike;
  /** The `/ws` URL for an identity (null: the cookie's default); this page's host by default. */
  url?: (identity: string | null) => string;
  /** The identity this tab acts as. */
  identity?: () => string | null;
  /** 0 ≤ x < 1, for the backoff's jitter. */
  random?: () => number;
};

/** `WebSocket.OPEN`, spelled out so the class also loads where there is no global WebSocket. */
const openState = 1;

/** The page's own `/ws`: with the OIDC token when signed in that way (bearer), else the tab's local identity. */
function pageSocketUrl(identity: string | null): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = currentOidcToken();
  const query = token ? `?token=${encodeURIComponent(token)}` : identity ? `?identity=${encodeURIComponent(identity)}` : '';
  return `${scheme}//${window.location.host}/ws${query}`;
}

const minBackoffMs = 500;
const maxBackoffMs = 10_000;

/**
 * The tab's WebSocket to `/ws`, as the identity active in this tab. It reconnects with jittered
 * exponential backoff until `close()` is called, and hands on only messages that match the protocol.
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | null = null;
  private identity: string | null = null;
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private wanted = false;
  private readonly createWebSocket: (url: string) => WebSocketLike;
  private readonly url: (identity: string | null) => string;
  private readonly currentIdentity: () => string | null;
  private readonly random: () => number;

  constructor(
    private readonly handlers: SocketHandlers,
    options: ReconnectingSocketOptions = {},
  ) {
    this.createWebSocket = options.createWebSocket ?? ((url) => new WebSocket(url));
    this.url = options.url ?? pageSocketUrl;
    this.currentIdentity = options.identity ?? readActiveIdentity;
    this.random = options.random ?? Math.random;
  }

  get open(): boolean {
    return this.socket?.readyState === openState;
  }

  /** Opens the socket if it is not open or opening; reopens it when the tab switched identity. */
  connect() {
    this.wanted = true;
    if (this.socket && this.identity !== this.currentIdentity()) {
      this.socket.close();
      return;
    }
    if (this.socket || this.reconnectTimer !== undefined) return;

    const identity = this.currentIdentity();
    const socket = this.createWebSocket(this.url(identity));
    this.socket = socket;
    this.identity = identity;

    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempts = 0;
      this.handlers.onOpen();
    });
    socket.addEventListener('message', (message) => {
      if (this.socket !== socket || typeof message.data !== 'string') return;
      const parsed = ServerMessage.safeParse(parseJson(message.data));
      if (parsed.success) this.handlers.onMessage(parsed.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handlers.onClose();
      if (this.wanted) this.scheduleReconnect();
    });
  }

  send(message: ClientMessage): boolean {
    if (!this.open) return false;
    this.socket?.send(JSON.stringify(message));
    return true;
  }

  close() {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempts = 0;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    if (socket) this.handlers.onClose();
  }

  private scheduleReconnect() {
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempts) * (0.75 + this.random() * 0.5);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
