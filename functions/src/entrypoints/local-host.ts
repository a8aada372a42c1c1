import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AuthMode } from '@hangar/protocol';
import { ApiGatewayConnectionPusher } from '../adapters/apigateway-connection-pusher';
import { startLocalWebSocketGateway } from '../adapters/local-websocket-gateway';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { createLocalAuthenticator, createOidcAuthenticator, type Authenticator } from '../auth/authenticator';
import { createOidcVerifier } from '../auth/oidc-verifier';
import { SessionCodec } from '../auth/session-cookie';
import { createServices } from '../domain/services';
import type { AppEnv } from '../http/app-env';
import { createApp } from '../http/create-app';
import { systemClock } from '../ports/clock';
import { sortableIdGenerator } from '../ports/id-generator';
import { DataService } from '../domain/data-service';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { DataRelay } from '../realtime/data-relay';
import { RunSubscriptionHub } from '../realtime/run-subscriptions';
import { createSessionHandlers } from '../realtime/session-handlers';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createLocalProcessLauncher } from '../adapters/local-process-launcher';
import { createDocumentRunEventLog } from '../adapters/document-run-event-log';
import { CapabilityTokens } from '../auth/capability-tokens';
import { builderInfoFromEnvironment, composeBuilder } from './builder-composition';
import { createStaticHandler } from './static-files';

export interface LocalHostOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  dataDir: string;
  /** The built console (web/dist); omitted → API only. */
  webDistDir?: string;
  authMode?: AuthMode;
  oidc?: { issuer: string; audience: string; jwksUri?: string };
  version?: string;
  /** Turns on the builder: where the template and the worker entry point are. */
  builder?: { repoRoot: string; templateDir: string; workerEntry: string; env?: Record<string, string> };
  log?: (message: string) => void;
}

export interface LocalHost {
  url: string;
  port: number;
  /** The local worker launcher when the builder is on (tests kill workers through it). */
  launcher: { running(): string[]; kill(runId: string): boolean } | null;
  close(): Promise<void>;
}

/** The session secret is generated once into the data directory and reused on every start. */
function loadSessionSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/**
 * The local composition root: SQLite store, local session cookies (or OIDC), the Hono app on a
 * Node server, the console's static files, and the local WebSocket gateway with the real
 * API Gateway management client pushing into it.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? ((message: string) => console.log(message));
  mkdirSync(options.dataDir, { recursive: true });
  const store = createSqliteDocumentStore({ filename: join(options.dataDir, 'hangar.db') });
  const services = await createServices({ store, ids: sortableIdGenerator, clock: systemClock });

  const authMode = options.authMode ?? 'none';
  let authenticator: Authenticator;
  let sessionCodec: SessionCodec | null = null;
  if (authMode === 'oidc') {
    if (!options.oidc) throw new Error('HANGAR_AUTH_MODE=oidc needs HANGAR_OIDC_ISSUER and HANGAR_OIDC_AUDIENCE');
    authenticator = createOidcAuthenticator(createOidcVerifier(options.oidc));
  } else {
    sessionCodec = new SessionCodec(loadSessionSecret(options.dataDir));
    authenticator = createLocalAuthenticator(sessionCodec);
  }

  const secret = loadSessionSecret(options.dataDir);
  let port = 0;
  let builder: Awaited<ReturnType<typeof composeBuilder>> | null = null;
  let launcher: ReturnType<typeof createLocalProcessLauncher> | null = null;
  // Durable: chat history and run streams survive a restart of the local host.
  const runEvents = createDocumentRunEventLog(store);
  await runEvents.ensureIndexes();
  if (options.builder) {
    const settings = options.builder;
    let workerExited: (runId: string, detail: string) => void = () => undefined;
    launcher = createLocalProcessLauncher({
      workerEntry: settings.workerEntry,
      cwd: settings.repoRoot,
      env: {
        HANGAR_WORKSPACES_DIR: join(options.dataDir, 'workspaces'),
        HANGAR_TEMPLATE_DIR: settings.templateDir,
        HANGAR_DEPENDENCY_CACHE_DIR: join(options.dataDir, 'dependency-cache'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...settings.env,
      },
      onExit: (runId, code, signal) => workerExited(runId, signal ? `signal ${signal}` : `exit code ${code ?? '?'}`),
      log,
    });
    builder = await composeBuilder({
      store,
      services,
      events: runEvents,
      blobs: createFileBlobStore(join(options.dataDir, 'blobs')),
      launcher,
      tokens: new CapabilityTokens(secret),
      ids: sortableIdGenerator,
      clock: systemClock,
      controlPlaneUrl: () => `http://127.0.0.1:${port}`,
      info: builderInfoFromEnvironment({ ...process.env, ...settings.env }),
    });
    const worker = builder.worker;
    workerExited = (runId, detail) =>
      void worker.workerExited(runId, detail).catch((error: unknown) => log(`worker exit handling failed: ${String(error)}`));
  }

  const data = builder ? new DataService(store, services.access, services.audit, sortableIdGenerator, systemClock) : null;

  const api = createApp({
    services,
    authenticator,
    sessionCodec,
    ...(builder ? { builder } : {}),
    ...(data ? { data } : {}),
    config: { version: options.version ?? '0.1.0', storeKind: store.kind, ...(options.oidc ? { oidc: options.oidc } : {}) },
    clientAddress: (c) =>
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local',
  });
  const root = new Hono<AppEnv>();
  root.route('/', api);
  if (options.webDistDir) {
    const serveStatic = createStaticHandler(options.webDistDir);
    root.get('*', (c) => serveStatic(new URL(c.req.url).pathname));
  }

  const server = createAdaptorServer({ fetch: root.fetch });
  const accessKeyId = `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`;
  let pusher: ApiGatewayConnectionPusher | null = null;
  const hub = new RunSubscriptionHub(
    runEvents,
    {
      post: (connectionId, data) => (pusher ? pusher.post(connectionId, data) : Promise.resolve('gone')),
      disconnect: (connectionId) => (pusher ? pusher.disconnect(connectionId) : Promise.resolve()),
    },
    log,
  );
  const relay = data
    ? new DataRelay({
        store,
        registry: createMemoryConnectionRegistry(),
        pusher: {
          post: (connectionId, message) => (pusher ? pusher.post(connectionId, message) : Promise.resolve('gone')),
          disconnect: (connectionId) => (pusher ? pusher.disconnect(connectionId) : Promise.resolve()),
        },
        scopeOf: (collection) => data.scopeOf(collection),
        changeFilter: (key) => data.changeFilter(key),
        log,
      })
    : null;
  relay?.start();
  const readRun = builder?.canReadRun;
  const handlers = createSessionHandlers({
    authenticator,
    store,
    clock: systemClock,
    log,
    ...(relay && data ? { data: { relay, service: data } } : {}),
    ...(readRun
      ? {
          runs: {
            hub,
            canRead: (userId: string, _email: string, workspaceId: string, runId: string) => readRun(userId, workspaceId, runId),
          },
        }
      : {}),
    pusher: {
      post: (connectionId, data) => (pusher ? pusher.post(connectionId, data) : Promise.resolve('gone')),
      disconnect: (connectionId) => (pusher ? pusher.disconnect(connectionId) : Promise.resolve()),
    },
  });
  const gateway = await startLocalWebSocketGateway({
    server: server as Server,
    handlers,
    credentials: { accessKeyId },
    log,
  });
  pusher = new ApiGatewayConnectionPusher({
    endpoint: gateway.managementEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: randomBytes(16).toString('hex') },
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const sweeper = builder
    ? setInterval(() => void builder?.worker.sweepLostWorkers().catch((error: unknown) => log(`sweep failed: ${String(error)}`)), 5000)
    : null;
  sweeper?.unref();
  // Audit retention: hourly, and once shortly after start.
  const purgeAudit = () => void builder?.governance?.retention.purgeExpired().catch((error: unknown) => log(`audit purge failed: ${String(error)}`));
  const auditPurger = builder?.governance ? setInterval(purgeAudit, 3600_000) : null;
  auditPurger?.unref();
  const firstPurge = builder?.governance ? setTimeout(purgeAudit, 10_000) : null;
  firstPurge?.unref();
  const url = `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    launcher,
    close() {
      closing ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        if (auditPurger) clearInterval(auditPurger);
        if (firstPurge) clearTimeout(firstPurge);
        await launcher?.stopAll();
        await hub.close();
        await relay?.stop();
        const httpServer = server as Server;
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await gateway.close();
        // In-flight requests finish (their writes are acknowledged) before the store closes.
        const grace = setTimeout(() => httpServer.closeAllConnections(), 5000);
        await stopped;
        clearTimeout(grace);
        await runEvents.close();
        await store.close();
      })();
      return closing;
    },
  };
}
