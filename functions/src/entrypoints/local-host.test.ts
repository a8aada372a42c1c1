import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MeResponse, ServerMessage } from '@hangar/protocol';
import { startLocalHost, type LocalHost } from './local-host';

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
