import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ServerMessage, type MeResponse } from '@hangar/protocol';
import { request as httpRequest } from 'node:http';
import { RecordingLauncher } from '../http/testing';
import { DataDirInUseError } from './data-dir-lock';
import { startLocalHost, type LocalHost } from './local-host';

/** A raw HTTP request with any Host header (fetch will not send a forged one). */
function rawRequest(
  port: number,
  options: { method?: string; path: string; headers: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.once('error', reject);
    request.end();
  });
}

/** Opens a socket and resolves with it once open, or rejects with the refused status. */
function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

const nextMessage = (socket: WebSocket) =>
  new Promise<ServerMessage>((resolve) =>
    socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')) as ServerMessage)),
  );

describe('local host: HTTP API, session cookie and WebSocket gateway together', () => {
  let host: LocalHost;
  let dataDir: string;
  let cookie: string;
  let me: MeResponse;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-host-'));
    host = await startLocalHost({ port: 0, dataDir, log: () => undefined });
    const response = await fetch(`${host.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    me = (await response.json()) as MeResponse;
    cookie = /hangar_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
  });
  afterAll(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const wsUrl = () => host.url.replace('http', 'ws') + '/ws';

  it('authenticates at $connect with the session cookie and answers pings through the management API', async () => {
    const socket = await open(wsUrl(), { cookie, origin: host.url });
    const reply = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'session.ping', id: 'p1' }));
    expect(await reply).toMatchObject({ type: 'session.pong', id: 'p1', identityId: me.identity.id });
    const error = nextMessage(socket);
    socket.send('{"type":"session.unknown"}');
    expect(await error).toMatchObject({ type: 'session.error', code: 'validation_failed' });
    socket.close();
  });

  it('refuses sockets without credentials (401) and cookie sockets from other origins (403)', async () => {
    await expect(open(wsUrl(), {})).rejects.toThrow('refused 401');
    await expect(open(wsUrl(), { cookie, origin: 'https://evil.example' })).rejects.toThrow('refused 403');
    await expect(open(wsUrl(), { cookie })).rejects.toThrow('refused 403');
  });

  it('answers 403 (never a 500) to a null, non-URL or wrong-scheme WebSocket origin', async () => {
    const port = new URL(host.url).port;
    for (const origin of [
      'null',
      'not a url',
      `https://localhost:${port}`,
      `ftp://localhost:${port}`,
      `http://localhost:${port}.evil.example`,
    ]) {
      await expect(open(wsUrl(), { cookie, origin }), origin).rejects.toThrow('refused 403');
    }
    // The loopback address is one of this host's own origins too.
    const socket = await open(wsUrl(), { cookie, origin: `http://127.0.0.1:${port}` });
    socket.close();
  });

  it('answers only for its own host names: another Host gets 403 before authentication, on HTTP and on the upgrade (DNS rebinding)', async () => {
    const rebinding = { host: `attacker.example:${host.port}` };
    const api = await rawRequest(host.port, { path: '/api/me', headers: { ...rebinding, cookie } });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect((await rawRequest(host.port, { path: '/', headers: rebinding })).status).toBe(403);
    await expect(open(wsUrl(), { cookie, origin: `http://attacker.example:${host.port}`, host: rebinding.host })).rejects.toThrow(
      'refused 403',
    );
    // Without credentials the answer is still 403, not 401: nothing runs before the Host check.
    await expect(open(wsUrl(), { host: rebinding.host })).rejects.toThrow('refused 403');
    for (const own of [`localhost:${host.port}`, `127.0.0.1:${host.port}`, `[::1]:${host.port}`]) {
      expect((await rawRequest(host.port, { path: '/api/health', headers: { host: own } })).status, own).toBe(200);
    }
  });

  it('refuses a cookie mutation whose Origin is this request’s own (rebound) Host rather than a configured origin', async () => {
    const forged = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/workspaces',
      headers: { host: `localhost:${host.port}`, cookie, origin: `http://rebound.example:${host.port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'csrf_failed' } });
  });

  it('answers an unknown /api or /internal route with a JSON 404 on every method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      for (const path of ['/api/nothing-here', '/api/workspaces/wsp_1/nothing', '/internal/nothing']) {
        const response = await fetch(`${host.url}${path}`, { method, headers: { cookie, origin: host.url } });
        expect({ method, path, status: response.status, type: response.headers.get('content-type') }).toEqual({
          method,
          path,
          status: 404,
          type: 'application/json',
        });
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    }
  });

  it('refuses a second host on a data directory a running host holds', async () => {
    await expect(startLocalHost({ port: 0, dataDir, log: () => undefined })).rejects.toBeInstanceOf(DataDirInUseError);
    // The refused start left the running host untouched.
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  });

  it('a failed listen closes what it opened and frees the data directory', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'hangar-host-busy-'));
    const error = await startLocalHost({ port: host.port, dataDir: otherDir, log: () => undefined }).catch((failure: unknown) => failure);
    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    // Nothing holds the directory now: a host starts there at once.
    const second = await startLocalHost({ port: 0, dataDir: otherDir, log: () => undefined });
    await second.close();
    rmSync(otherDir, { recursive: true, force: true });
  });

  it('serves the API and keeps data across a restart of the host', async () => {
    const created = await fetch(`${host.url}/api/workspaces`, {
      method: 'POST',
      headers: { cookie, origin: host.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Durable' }),
    });
    expect(created.status).toBe(201);
    await host.close();
    host = await startLocalHost({ port: 0, dataDir, log: () => undefined });
    // Same data directory → same session secret → the old cookie is still valid.
    const listed = await fetch(`${host.url}/api/workspaces`, { headers: { cookie } });
    const page = (await listed.json()) as { items: { name: string }[] };
    expect(page.items.map((workspace) => workspace.name)).toEqual(['Durable']);
  });
});

describe('local host: a change too large for a 32 KB frame, end to end through the WebSocket gateway', () => {
  let host: LocalHost;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-host-frames-'));
    host = await startLocalHost({ port: 0, dataDir, log: () => undefined, launcher: new RecordingLauncher() });
  });
  afterAll(async () => {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pushes a data.reload notice instead of the 40 KB document, and the read path returns the whole document', async () => {
    const signIn = await fetch(`${host.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    const cookie = /hangar_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${host.url}${path}`, {
        method,
        headers: { cookie, origin: host.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const workspace = await call<{ id: string }>('POST', '/api/workspaces', { name: 'Frames' });
    const { app } = await call<{ app: { id: string } }>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'Notes' });
    const notes = `/api/workspaces/${workspace.id}/apps/${app.id}/data/draft/notes`;

    const socket = await open(host.url.replace('http', 'ws') + '/ws', { cookie, origin: host.url });
    const frames: { bytes: number; message: ServerMessage }[] = [];
    const arrived: (() => void)[] = [];
    socket.on('message', (data: Buffer) => {
      frames.push({ bytes: data.byteLength, message: JSON.parse(data.toString('utf8')) as ServerMessage });
      for (const wake of arrived.splice(0)) wake();
    });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((resolve) => arrived.push(resolve));
    };
    socket.send(
      JSON.stringify({ type: 'data.subscribe', id: 's1', workspaceId: workspace.id, appId: app.id, scope: 'draft', collection: 'notes' }),
    );
    await until(() => frames.some(({ message }) => message.type === 'data.subscribed'));

    const large = await call<{ _id: string; text: string }>('POST', notes, { text: 'x'.repeat(40 * 1024) });
    const small = await call<{ _id: string }>('POST', notes, { text: 'short' });
    const dataFrames = () => frames.filter(({ message }) => message.type.startsWith('data.') && message.type !== 'data.subscribed');
    await until(() => dataFrames().some(({ message }) => message.type === 'data.changed' && message.change.documentId === small._id));

    const [notice, next, ...rest] = dataFrames().map(({ message }) => message);
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({
      type: 'data.reload',
      appId: app.id,
      scope: 'draft',
      collection: 'notes',
      change: { operation: 'insert', documentId: large._id, seq: 1 },
    });
    expect(ServerMessage.parse(notice)).toEqual(notice);
    expect(next).toMatchObject({ type: 'data.changed', change: { documentId: small._id, seq: 2, document: { text: 'short' } } });
    for (const { bytes } of frames) expect(bytes).toBeLessThanOrEqual(32 * 1024);
    // What the SDK does with the notice: read the document through the normal read path.
    expect((await call<{ text: string }>('GET', `${notes}/${large._id}`)).text).toHaveLength(40 * 1024);
    socket.close();
  });
});
