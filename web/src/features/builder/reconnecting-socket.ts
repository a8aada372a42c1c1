import { ServerMessage, type ClientMessage } from '@hangar/protocol';
import { readActiveIdentity } from '../../lib/active-identity';
import { currentOidcToken } from '../auth/oidc-session';

type SocketHandlers = {
  onOpen: () => void;
  onMessage: (message: ServerMessage) => void;
  onClose: () => void;
};

const minBackoffMs = 500;
const maxBackoffMs = 10_000;

/**
 * The tab's WebSocket to `/ws`, as the identity active in this tab. It reconnects with jittered
 * exponential backoff until `close()` is called, and hands on only messages that match the protocol.
 */
export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private identity: string | null = null;
  private attempts = 0;
  private reconnectTimer: number | undefined;
  private wanted = false;

  constructor(private readonly handlers: SocketHandlers) {}

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket if it is not open or opening; reopens it when the tab switched identity. */
  connect() {
    this.wanted = true;
    if (this.socket && this.identity !== readActiveIdentity()) {
      this.socket.close();
      return;
    }
    if (this.socket || this.reconnectTimer !== undefined) return;

    const identity = readActiveIdentity();
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = currentOidcToken();
    const query = token ? `?token=${encodeURIComponent(token)}` : identity ? `?identity=${encodeURIComponent(identity)}` : '';
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws${query}`);
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
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempts = 0;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    if (socket) this.handlers.onClose();
  }

  private scheduleReconnect() {
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
    this.attempts += 1;
    this.reconnectTimer = window.setTimeout(() => {
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
