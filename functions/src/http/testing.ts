import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { MeResponse, WorkspaceSummary } from '@hangar/protocol';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { createLocalAuthenticator } from '../auth/authenticator';
import { SessionCodec, sessionCookieName } from '../auth/session-cookie';
import { createServices, type Services } from '../domain/services';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createMemoryRunEventLog } from '../adapters/memory-run-event-log';
import { CapabilityTokens } from '../auth/capability-tokens';
import { composeBuilder } from '../entrypoints/builder-composition';
import { modelConfigurationFromEnvironment, type ModelConfiguration } from '../entrypoints/model-configuration';
import { DataService } from '../domain/data-service';
import { systemClock, type Clock } from '../ports/clock';
import type { RunEventLog } from '../ports/run-event-log';
import type { RunLauncher } from '../ports/run-launcher';
import type { DocumentStore } from '../ports/document-store';
import { sortableIdGenerator } from '../ports/id-generator';
import type { AppEnv } from './app-env';
import { createApp } from './create-app';

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

/** The real app on an in-memory SQLite store: the shared double for HTTP tests. */
export async function createTestApp(
  options: {
    rateLimits?: { authPerMinute: number; mutationsPerMinute: number };
    builder?: { launcher: RunLauncher; clock?: Clock; blobDir: string; models?: ModelConfiguration };
  } = {},
): Promise<TestApp & { builder: Awaited<ReturnType<typeof composeBuilder>> | null; events: RunEventLog }> {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const clock = options.builder?.clock ?? systemClock;
  const services = await createServices({ store, ids: sortableIdGenerator, clock });
  const sessionCodec = new SessionCodec(randomBytes(32));
  const events = createMemoryRunEventLog({ clock });
  const builder = options.builder
    ? await composeBuilder({
        store,
        services,
        events,
        blobs: createFileBlobStore(options.builder.blobDir),
        launcher: options.builder.launcher,
        tokens: new CapabilityTokens(randomBytes(32)),
        ids: sortableIdGenerator,
        clock,
        controlPlaneUrl: () => testOrigin,
        models: options.builder.models ?? modelConfigurationFromEnvironment({ HANGAR_MODEL_PROVIDER: 'offline' }),
      })
    : null;
  const app = createApp({
    services,
    authenticator: createLocalAuthenticator(sessionCodec),
    sessionCodec,
    ...(builder ? { builder, data: new DataService(store, services.access, services.audit, sortableIdGenerator, clock) } : {}),
    config: {
      version: 'test',
      storeKind: store.kind,
      rateLimits: options.rateLimits ?? { authPerMinute: 10_000, mutationsPerMinute: 10_000 },
    },
  });

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

  return { app, store, services, signIn, workspaceWith, builder, events, close: () => store.close() };
}
