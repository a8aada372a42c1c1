import { modelConfigurationFromEnvironment, type ModelConfiguration } from '../entrypoints/model-configuration';
import { createLocalSecretCipher } from '../adapters/local-secret-cipher';
import { createSafeHttpClient } from '../adapters/outbound/safe-http-client';
import type { OutboundHttp } from '../ports/outbound-http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { MeResponse, WorkspaceSummary } from '@hangar/protocol';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { createLocalAuthenticator, type Authenticator } from '../auth/authenticator';
import { SessionCodec, sessionCookieName } from '../auth/session-cookie';
import type { Services } from '../domain/services';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createInProcessScheduler, type InProcessScheduler } from '../adapters/in-process-scheduler';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createMemoryRunEventLog } from '../adapters/memory-run-event-log';
import { composeControlPlane, type ControlPlane } from '../composition/compose-control-plane';
import { systemClock, type Clock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { RunEventLog } from '../ports/run-event-log';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';
import type { DocumentStore } from '../ports/document-store';
import { sortableIdGenerator } from '../ports/id-generator';
import type { AppEnv } from './app-env';

export const testOrigin = 'http://hangar.test';

/** A signed-in local identity that calls the app like the console would. */
export interface TestClient {
  me: MeResponse;
  cookie: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export interface TestApp {
  app: Hono<AppEnv>;
  store: DocumentStore;
  services: Services;
  signIn(name: string, email: string): Promise<TestClient>;
  /** Creates a workspace owned by `owner` with the other clients as members of the given roles (via invitations). */
  workspaceWith(owner: TestClient, members: [TestClient, 'admin' | 'member' | 'viewer' | 'owner'][]): Promise<WorkspaceSummary>;
  close(): Promise<void>;
}

/** A launcher that records what it was asked to start; tests play the worker through the internal API. */
export class RecordingLauncher implements RunLauncher {
  readonly kind = 'recording';
  readonly launched: RunSpec[] = [];
  readonly stopped: string[] = [];
  launch(spec: RunSpec) {
    this.launched.push(spec);
    return Promise.resolve();
  }
  stop(runId: string) {
    this.stopped.push(runId);
    return Promise.resolve();
  }
}

/** A pusher for tests that do not open sockets: every connection is gone. */
const noConnections: ConnectionPusher = { post: () => Promise.resolve('gone'), disconnect: () => Promise.resolve() };

/**
 * The real product (the one composition) on an in-memory SQLite store, a memory run log and
 * registry, and a recording launcher: the shared double for HTTP tests.
 */
export async function createTestApp(
  options: {
    rateLimits?: { authPerMinute: number; mutationsPerMinute: number };
    builder?: { launcher?: RunLauncher; clock?: Clock; blobDir?: string; models?: ModelConfiguration };
    /** The outbound HTTP adapter app-agent tools use (tests pass one that trusts the local test integration). */
    outbound?: OutboundHttp;
    /** Origins allowed besides `testOrigin` and its https twin. */
    allowedOrigins?: string[];
    /** Another authenticator than local session cookies (bearer tests), with its identity provider. */
    oidc?: { authenticator: Authenticator; issuer: string; audience: string };
  } = {},
): Promise<TestApp & { builder: ControlPlane; events: RunEventLog; plane: ControlPlane; scheduler: InProcessScheduler }> {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const clock = options.builder?.clock ?? systemClock;
  const sessionCodec = new SessionCodec(randomBytes(32));
  const events = createMemoryRunEventLog({ clock });
  const ownBlobDir = options.builder?.blobDir ? null : mkdtempSync(join(tmpdir(), 'hangar-test-blobs-'));
  // Schedules in process over the test's clock: tests move the clock and call `scheduler.fireDue()`.
  let fire: ControlPlane['schedules']['fire'] = () => Promise.reject(new Error('the control plane is not composed yet'));
  const scheduler = createInProcessScheduler({ clock, onFire: async (_spec, due) => void (await fire(due)) });
  const plane = await composeControlPlane(
    {
      store,
      runEvents: events,
      blobs: createFileBlobStore(options.builder?.blobDir ?? ownBlobDir ?? ''),
      launcher: options.builder?.launcher ?? new RecordingLauncher(),
      registry: createMemoryConnectionRegistry(),
      pusher: noConnections,
      authenticator: options.oidc?.authenticator ?? createLocalAuthenticator(sessionCodec),
      sessionCodec: options.oidc ? null : sessionCodec,
      capabilitySecret: randomBytes(32),
      secretCipher: createLocalSecretCipher(randomBytes(32)),
      outbound: options.outbound ?? createSafeHttpClient(),
      scheduler,
      clock,
      ids: sortableIdGenerator,
    },
    {
      version: 'test',
      internalApiUrl: testOrigin,
      models: options.builder?.models ?? modelConfigurationFromEnvironment({ HANGAR_MODEL_PROVIDER: 'offline' }),
      allowedOrigins: [testOrigin, testOrigin.replace('http:', 'https:'), ...(options.allowedOrigins ?? [])],
      allowedHosts: null,
      dataFeed: 'in-process',
      ...(options.oidc ? { oidc: { issuer: options.oidc.issuer, audience: options.oidc.audience } } : {}),
      rateLimits: options.rateLimits ?? { authPerMinute: 10_000, mutationsPerMinute: 10_000 },
      log: () => undefined,
    },
  );
  fire = (due) => plane.schedules.fire(due);
  await plane.schedules.restore();
  const { app, services } = plane;

  const call = (
    cookie: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    Promise.resolve(
      app.request(`${testOrigin}${path}`, {
        method,
        headers: {
          origin: testOrigin,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );

  const signIn = async (name: string, email: string): Promise<TestClient> => {
    const response = await call(null, 'POST', '/api/auth/sign-in', { name, email });
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const value = new RegExp(`${sessionCookieName}=([^;]+)`).exec(setCookie)?.[1];
    if (!value) throw new Error('no session cookie');
    const cookie = `${sessionCookieName}=${value}`;
    const me = (await response.json()) as MeResponse;
    return { me, cookie, request: (method, path, body, headers) => call(cookie, method, path, body, headers) };
  };

  const workspaceWith: TestApp['workspaceWith'] = async (owner, members) => {
    const created = await owner.request('POST', '/api/workspaces', { name: `Workspace of ${owner.me.identity.name}` });
    const workspace = (await created.json()) as WorkspaceSummary;
    for (const [client, role] of members) {
      const invited = await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, { email: client.me.identity.email, role });
      if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${await invited.text()}`);
      await services.signIn.signIn({ identity: client.me.identity, source: 'console' }, { emailVerified: true });
    }
    return workspace;
  };

  const close = async () => {
    scheduler.stop();
    await plane.stop();
    await store.close();
    if (ownBlobDir) rmSync(ownBlobDir, { recursive: true, force: true });
  };
  return { app, store, services, signIn, workspaceWith, builder: plane, events, plane, scheduler, close };
}
