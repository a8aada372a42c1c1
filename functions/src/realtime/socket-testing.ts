import WebSocket from 'ws';
import type { ClientMessage, MeResponse, ServerMessage } from '@hangar/protocol';

/** A person signed in to a running local host over HTTP. */
export interface SignedIn {
  me: MeResponse;
  cookie: string;
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

/** A signed-in person with one real WebSocket that records every message in order. */
export interface SocketPerson extends SignedIn {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message from index `from` on that matches. */
  next(match: (message: ServerMessage) => boolean, from?: number): Promise<ServerMessage>;
  send(message: ClientMessage): void;
  /** What arrived after `from` and before the answer to a fresh ping: proof of what did not arrive. */
  receivedBeforePing(from: number, id: string): Promise<ServerMessage[]>;
}

/** Signs in with a local identity (accepting pending invitations for that email). */
export async function signInTo(url: string, name: string, email: string): Promise<SignedIn> {
  const response = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ name, email }),
  });
  const me = (await response.json()) as MeResponse;
  const cookie = /hangar_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { cookie, origin: url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { me, cookie, call };
}

/** Opens the person's WebSocket through the host's gateway, as the console does. */
export async function connectSocket(url: string, person: SignedIn): Promise<SocketPerson> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws?identity=${person.me.identity.id}`, {
    headers: { cookie: person.cookie, origin: url },
  });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as ServerMessage);
    for (const wake of [...waiters]) wake();
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = (match: (message: ServerMessage) => boolean, from = 0) =>
    new Promise<ServerMessage>((resolve) => {
      const check = () => {
        const found = messages.slice(from).find(match);
        if (!found) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  const send = (message: ClientMessage) => socket.send(JSON.stringify(message));
  const receivedBeforePing = async (from: number, id: string) => {
    send({ type: 'session.ping', id });
    const pong = await next((message) => message.type === 'session.pong' && message.id === id, from);
    return messages.slice(from, messages.indexOf(pong));
  };
  return { ...person, socket, messages, next, send, receivedBeforePing };
}
