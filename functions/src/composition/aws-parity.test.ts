import { createLocalSecretCipher } from '../adapters/local-secret-cipher';
import { createSafeHttpClient } from '../adapters/outbound/safe-http-client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessage, type CreateAppResponse, type ServerMessage, type WorkspaceSummary } from '@hangar/protocol';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createInProcessScheduler } from '../adapters/in-process-scheduler';
import { createRedisConnectionRegistry } from '../adapters/redis-connection-registry';
import { createRedisRunEventLog } from '../adapters/redis-run-event-log';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { createOidcAuthenticator, type BearerVerifier } from '../auth/authenticator';
import { composeAws } from '../entrypoints/aws-composition';
import { startLocalHost, type LocalHost } from '../entrypoints/local-host';
import { RecordingLauncher } from '../http/testing';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { DocumentStore } from '../ports/document-store';
import { sortableIdGenerator } from '../ports/id-generator';
import { systemClock } from '../ports/clock';
import { runSubscriptionKey } from '../realtime/run-streams';
import type { WebSocketEvent } from '../realtime/websocket-event';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../testing/redis-server';
import type { ControlPlane } from './compose-control-plane';
import type { ControlPlanePorts } from './control-plane-ports';

const unavailable = !findRedisServer() && !process.env.CI;
if (unavailable) console.warn('aws parity: skipped — redis-server is not on PATH (apt-get install -y redis-server)');

/** Bearer tokens are `subject.yes` (verified email `subject@example.com`); JWT verification has its own tests. */
const verifier: BearerVerifier = {
  verify(token) {
    const [subject, verified] = token.split('.');
    if (!subject || verified !== 'yes') return Promise.reject(new Error('bad token'));
    return Promise.resolve({ subject, issuer: 'https://idp.example', email: `${subject}@example.com`, emailVerified: true, name: subject });
  },
};

/** Records every push, per connection, as API Gateway's management API would receive it. */
class RecordingPusher implements ConnectionPusher {
  readonly sent: [string, ServerMessage][] = [];
  post(connectionId: string, data: unknown) {
    this.sent.push([connectionId, data as ServerMessage]);
    return Promise.resolve('sent' as const);
  }
  disconnect() {
    return Promise.resolve();
  }
  to(connectionId: string): ServerMessage[] {
    return this.sent.filter(([id]) => id === connectionId).map(([, message]) => message);
  }
}

/** One valid message of every client type; `satisfies` makes a new type in the union a compile error here. */
function samples(workspaceId: string, appId: string, runId: string): { [T in ClientMessage['type']]: Extract<ClientMessage, { type: T }> } {
  return {
    'session.ping': { type: 'session.ping', id: 'p' },
    'run.subscribe': { type: 'run.subscribe', id: 'r', workspaceId, runId },
    'run.unsubscribe': { type: 'run.unsubscribe', runId },
    'data.subscribe': { type: 'data.subscribe', id: 'd', workspaceId, appId, scope: 'published', collection: 'leads' },
    'data.unsubscribe': { type: 'data.unsubscribe', appId, scope: 'published', collection: 'leads' },
    'workspace.subscribe': { type: 'workspace.subscribe', id: 'w', workspaceId },
    'workspace.unsubscribe': { type: 'workspace.unsubscribe', workspaceId },
  };
}

/** The answer each message type gets when it is served (not a "not available here"). */
const servedAnswer: { [T in ClientMessage['type']]: ServerMessage['type'] | null } = {
  'session.ping': 'session.pong',
  'run.subscribe': 'run.subscribed',
  'run.unsubscribe': null,
  'data.subscribe': 'data.subscribed',
  'data.unsubscribe': null,
  'workspace.subscribe': 'workspace.subscribed',
  'workspace.unsubscribe': null,
};

describe.skipIf(unavailable)('the AWS-shaped composition serves everything the local host serves', () => {
  let redis: RedisServerHandle;
  let store: DocumentStore;
  let blobDir: string;
  let dataDir: string;
  let local: LocalHost;
  const launcher = new RecordingLauncher();
  /** Two Lambda containers: each its own composition, sharing the store and Redis. */
  const containers: { plane: ControlPlane; ports: ControlPlanePorts; pusher: RecordingPusher }[] = [];

  async function container() {
    const pusher = new RecordingPusher();
    const ports: ControlPlanePorts = {
      store,
      runEvents: createRedisRunEventLog({ url: redis.url }),
      blobs: createFileBlobStore(blobDir),
      launcher,
      registry: createRedisConnectionRegistry({ url: redis.url }),
      pusher,
      authenticator: createOidcAuthenticator(verifier),
      sessionCodec: null,
      capabilitySecret: Buffer.alloc(32, 7),
      secretCipher: createLocalSecretCipher(Buffer.alloc(32, 9)),
      outbound: createSafeHttpClient(),
      // Schedules have their own contract suite (in process and EventBridge); parity needs none to fire.
      scheduler: createInProcessScheduler({ clock: systemClock, onFire: () => Promise.resolve() }),
      clock: systemClock,
      ids: sortableIdGenerator,
    };
    const plane = await composeAws(ports, {
      version: 'test',
      internalApiUrl: 'https://api.example',
      allowedOrigins: ['https://console.example'],
      oidc: { issuer: 'https://idp.example', audience: 'hangar' },
    });
    containers.push({ plane, ports, pusher });
    return { plane, ports, pusher };
  }

  beforeAll(async () => {
    const started = await startRedisServer();
    if (!started) throw new Error('redis-server disappeared from PATH');
    redis = started;
    store = createSqliteDocumentStore({ filename: ':memory:' });
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-parity-blobs-'));
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-parity-host-'));
    local = await startLocalHost({ port: 0, dataDir, launcher: new RecordingLauncher(), log: () => undefined });
  });
  afterAll(async () => {
    for (const { ports } of containers) await Promise.all([ports.runEvents.close(), ports.registry.close()]);
    await store?.close();
    await local?.close();
    await redis?.stop();
    rmSync(blobDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mounts every route of the local host (the console’s static files aside) and answers each with a route, not a 404 or a 500', async () => {
    const { plane } = await container();
    const aws = new Set(plane.app.routes.map(({ method, path }) => `${method} ${path}`));
    const localRoutes = local.routes.filter(({ path }) => path !== '/*' && path !== '*');
    expect(localRoutes.length).toBeGreaterThan(30);
    expect(localRoutes.map(({ method, path }) => `${method} ${path}`).filter((route) => !aws.has(route))).toEqual([]);
    for (const { method, path } of localRoutes) {
      if (method === 'ALL') continue;
      const concrete = path.replace(/:[a-zA-Z]+/g, 'zz_1').replace(/\*/g, 'x');
      const response = await plane.app.request(`https://api.example${concrete}`, {
        method,
        headers: { authorization: 'Bearer olive.yes', ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      const text = await response.text();
      expect({ route: `${method} ${path}`, routed: !text.includes('No route for'), status: response.status < 500 }).toEqual({
        route: `${method} ${path}`,
        routed: true,
        status: true,
      });
    }
  });

  it('handles every WebSocket message type, streams runs by push on append across containers, and revokes through the shared registry', async () => {
    const a = await container();
    const b = await container();
    const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const http = async (plane: ControlPlane, token: string, method: string, path: string, body?: unknown) =>
      plane.app.request(`https://api.example${path}`, {
        method,
        headers: bearer(token),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const workspace = (await (await http(a.plane, 'olive.yes', 'POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    await http(a.plane, 'olive.yes', 'POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'max@example.com', role: 'member' });
    expect((await http(b.plane, 'max.yes', 'GET', '/api/me')).status).toBe(200);
    const created = (await (
      await http(a.plane, 'olive.yes', 'POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'leads' })
    ).json()) as CreateAppResponse;
    // Max builds it with Olive: a collaborator streams its runs and uses its data before it is published.
    const maxId = ((await (await http(a.plane, 'max.yes', 'GET', '/api/me')).json()) as { identity: { id: string } }).identity.id;
    expect(
      (
        await http(a.plane, 'olive.yes', 'PUT', `/api/workspaces/${workspace.id}/apps/${created.app.id}/collaborators`, {
          userIds: [maxId],
        })
      ).status,
    ).toBe(200);
    const spec = launcher.launched.find((candidate) => candidate.runId === created.run.id);
    expect(spec?.controlPlaneUrl).toBe('https://api.example');
    const worker = (plane: ControlPlane, path: string, body: unknown) =>
      plane.app.request(`https://api.example/internal/runs/${created.run.id}${path}`, {
        method: 'POST',
        headers: bearer(spec?.runToken ?? ''),
        body: JSON.stringify(body),
      });
    expect((await worker(b.plane, '/started', { workerId: 'w', provider: 'scripted', model: 'test' })).status).toBeLessThan(300);

    const event = (
      routeKey: '$connect' | '$default' | '$disconnect',
      connectionId: string,
      extra: Partial<WebSocketEvent> = {},
    ): WebSocketEvent => ({
      requestContext: {
        routeKey,
        eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$default' ? 'MESSAGE' : 'DISCONNECT',
        connectionId,
        domainName: 'ws.example',
        stage: 'prod',
        apiId: 'api',
        requestId: randomBytes(4).toString('hex'),
        connectedAt: Date.now(),
        requestTimeEpoch: Date.now(),
        requestTime: '01/Dec/2026:20:00:00 +0000',
        messageDirection: 'IN',
        extendedRequestId: 'x',
        identity: { sourceIp: '203.0.113.1' },
      },
      isBase64Encoded: false,
      ...extra,
    });
    expect(
      (await a.plane.websocketHandlers.connect(event('$connect', 'conn-max', { queryStringParameters: { token: 'max.yes' } }))).statusCode,
    ).toBe(200);

    const messages = samples(workspace.id, created.app.id, created.run.id);
    const unionTypes = ClientMessage.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(messages).sort()).toEqual(unionTypes);
    for (const type of unionTypes) {
      const before = a.pusher.to('conn-max').length;
      const result = await a.plane.websocketHandlers.message(event('$default', 'conn-max', { body: JSON.stringify(messages[type]) }));
      expect({ type, status: result.statusCode }).toEqual({ type, status: 200 });
      const answer = servedAnswer[type];
      if (answer)
        expect(
          a.pusher
            .to('conn-max')
            .slice(before)
            .map((message) => message.type),
        ).toContain(answer);
    }

    // Subscribed in container A; the worker's append lands in container B, which pushes it.
    await a.plane.websocketHandlers.message(event('$default', 'conn-max', { body: JSON.stringify(messages['run.subscribe']) }));
    expect((await worker(b.plane, '/events', { events: [{ type: 'text.delta', text: 'from B' }] })).status).toBe(200);
    expect(
      b.pusher
        .to('conn-max')
        .filter((message) => message.type === 'run.event')
        .map((message) => message.type === 'run.event' && message.event.event),
    ).toEqual([{ type: 'text.delta', text: 'from B' }]);

    // The live console: a workspace channel opened in container A hears a change handled in B.
    await a.plane.websocketHandlers.message(event('$default', 'conn-max', { body: JSON.stringify(messages['workspace.subscribe']) }));
    expect(
      (await http(b.plane, 'olive.yes', 'PATCH', `/api/workspaces/${workspace.id}/apps/${created.app.id}`, { name: 'Leads board' })).status,
    ).toBe(200);
    expect(b.pusher.to('conn-max').flatMap((message) => (message.type === 'workspace.event' ? [message.event] : []))).toEqual([
      { kind: 'app.renamed', appId: created.app.id, at: expect.any(String) as string },
    ]);

    // A demotion handled by container B revokes the run stream container A registered.
    expect(
      (
        await http(
          b.plane,
          'olive.yes',
          'PATCH',
          `/api/workspaces/${workspace.id}/members/${((await (await http(a.plane, 'max.yes', 'GET', '/api/me')).json()) as { identity: { id: string } }).identity.id}`,
          { role: 'viewer' },
        )
      ).status,
    ).toBe(200);
    expect(b.pusher.to('conn-max').slice(-2)).toMatchObject([
      { type: 'subscription.revoked', subscription: { kind: 'run', runId: created.run.id } },
      // Then the console hears of the new role, to show the viewer's controls.
      { type: 'workspace.event', event: { kind: 'member.role_changed', targetId: maxId } },
    ]);
    expect(await a.ports.registry.connectionsFor(runSubscriptionKey(created.run.id))).toEqual([]);
    const pushedBefore = a.pusher.sent.length + b.pusher.sent.length;
    expect((await worker(a.plane, '/events', { events: [{ type: 'text.delta', text: 'not for viewers' }] })).status).toBe(200);
    expect(a.pusher.sent.length + b.pusher.sent.length).toBe(pushedBefore);

    expect((await a.plane.websocketHandlers.disconnect(event('$disconnect', 'conn-max'))).statusCode).toBe(200);
    expect(await a.ports.registry.keysFor('conn-max')).toEqual([]);
  });
});
