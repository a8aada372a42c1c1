import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { AuthMode } from '@hangar/protocol';
import { InProcessConnectionPusher } from '../adapters/in-process-connection-pusher';
import { createDocumentRunEventLog } from '../adapters/document-run-event-log';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createLocalProcessLauncher } from '../adapters/local-process-launcher';
import { startLocalWebSocketGateway } from '../adapters/local-websocket-gateway';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import { createLocalAuthenticator, createOidcAuthenticator, type Authenticator } from '../auth/authenticator';
import { createOidcVerifier } from '../auth/oidc-verifier';
import { SessionCodec } from '../auth/session-cookie';
import { modelConfigurationFromEnvironment } from './model-configuration';
import { createLocalSecretCipher, loadOrCreateSecretKey } from '../adapters/local-secret-cipher';
import { createSafeHttpClient } from '../adapters/outbound/safe-http-client';
import { composeControlPlane, type ControlPlane } from '../composition/compose-control-plane';
import { createInProcessScheduler } from '../adapters/in-process-scheduler';
import type { AppEnv } from '../http/app-env';
import { systemClock } from '../ports/clock';
import { sortableIdGenerator } from '../ports/id-generator';
import type { OutboundHttp } from '../ports/outbound-http';
import type { RunLauncher } from '../ports/run-launcher';
import { acquireDataDirLock } from './data-dir-lock';
import { servedOrigins, wildcardAddresses } from './served-origins';
import { createStaticHandler } from './static-files';
import { Teardown } from './teardown';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

export interface LocalHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** The address to bind; default 127.0.0.1. */
  host?: string;
  dataDir: string;
  /** The built console (web/dist); omitted → API only. */
  webDistDir?: string;
  authMode?: AuthMode;
  oidc?: { issuer: string; audience: string; jwksUri?: string };
  version?: string;
  /** Where the template and the worker entry point are (default: this repository), and the workers' extra environment. */
  builder?: {
    repoRoot?: string;
    templateDir?: string;
    workerEntry?: string;
    env?: Record<string, string>;
    /** Keep a standby worker with a prepared, warm workspace for the next new app (`npm start` does; default off). */
    standby?: boolean;
  };
  /** Origins besides this host's own loopback ones whose pages may use it (e.g. a reverse proxy's `https://hangar.example`). */
  publicOrigins?: string[];
  /** A launcher other than child processes (tests that play the worker through the internal API). */
  launcher?: RunLauncher;
  /**
   * Tests only: the outbound client agent tools call through (e.g. one built with
   * `unsafeTestOverrides` that lets a local HTTPS test integration through). The CLI and the
   * environment never set this; without it the host uses the safe client with no overrides.
   */
  outbound?: OutboundHttp;
  log?: (message: string) => void;
}

export interface LocalHost {
  url: string;
  port: number;
  /** The local worker launcher (tests kill and detach workers through it); null when a launcher was given. */
  launcher: Pick<ReturnType<typeof createLocalProcessLauncher>, 'running' | 'kill' | 'detach' | 'standbyReady'> | null;
  /** Every route the host serves (method and path pattern), for parity checks against other roots. */
  routes: readonly { method: string; path: string }[];
  close(): Promise<void>;
}

/** The session secret is generated once into the data directory and reused on every start. */
function loadSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'session-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/**
 * The local composition root: it listens first (so a taken port fails before anything is
 * opened), then chooses the embedded adapters — SQLite store, durable run log over it, files for
 * blobs, child-process workers, memory registry, the local WebSocket gateway with the real API
 * Gateway management client — and calls the one composition. A failed start closes what it opened.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const log = options.log ?? ((message: string) => console.log(message));
  mkdirSync(options.dataDir, { recursive: true });
  const teardown = new Teardown();
  const lock = acquireDataDirLock(options.dataDir);
  teardown.add(() => lock.release());
  try {
    // Until the product is composed, requests get a clear 503 rather than a hang.
    let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ error: { code: 'unavailable', message: 'Hangar is starting; try again in a moment.' } }));
    };
    const server = createServer((request, response) => handle(request, response));
    const bound = options.host ?? '127.0.0.1';
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, bound, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    teardown.add(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));
    const port = (server.address() as AddressInfo).port;
    const { hosts, origins } = servedOrigins(bound, port, options.publicOrigins ?? []);

    const store = createSqliteDocumentStore({ filename: join(options.dataDir, 'hangar.db') });
    teardown.add(() => store.close());
    // Durable: chat history and run streams survive a restart of the local host.
    const runEvents = createDocumentRunEventLog(store);
    teardown.add(() => runEvents.close());
    await runEvents.ensureIndexes();
    const secret = loadSecret(options.dataDir);
    let authenticator: Authenticator;
    let sessionCodec: SessionCodec | null = null;
    if ((options.authMode ?? 'none') === 'oidc') {
      if (!options.oidc) throw new Error('HANGAR_AUTH_MODE=oidc needs HANGAR_OIDC_ISSUER and HANGAR_OIDC_AUDIENCE');
      authenticator = createOidcAuthenticator(createOidcVerifier(options.oidc));
    } else {
      sessionCodec = new SessionCodec(secret);
      authenticator = createLocalAuthenticator(sessionCodec);
    }
    const worker = options.builder ?? {};
    const localLauncher = options.launcher
      ? null
      : createLocalProcessLauncher({
          workerEntry: worker.workerEntry ?? join(worker.repoRoot ?? repoRoot, 'worker-container', 'src', 'main.ts'),
          cwd: worker.repoRoot ?? repoRoot,
          env: {
            HANGAR_WORKSPACES_DIR: join(options.dataDir, 'workspaces'),
            HANGAR_TEMPLATE_DIR: worker.templateDir ?? join(worker.repoRoot ?? repoRoot, 'template'),
            HANGAR_DEPENDENCY_CACHE_DIR: join(options.dataDir, 'dependency-cache'),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...worker.env,
          },
          ...(worker.standby ? { standby: true } : {}),
          log,
        });
    const registry = createMemoryConnectionRegistry();
    teardown.add(() => registry.close());
    // In-flight requests finish (their writes are acknowledged) before the store closes.
    teardown.add(async () => {
      const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 5000);
      await stopped;
      clearTimeout(grace);
    });

    // The gateway exists before the handlers, so the pusher is real from the start. Locally it writes
    // straight to the sockets; the management API (what AWS uses) stays served for the SDK path's tests.
    const accessKeyId = `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`;
    const gateway = await startLocalWebSocketGateway({ server, credentials: { accessKeyId }, log });
    teardown.add(() => gateway.close());
    const pusher = new InProcessConnectionPusher(gateway);
    // App-agent schedules in process, over the clock; their fires go to the control plane once it exists.
    let fire: ControlPlane['schedules']['fire'] | null = null;
    const scheduler = createInProcessScheduler({
      clock: systemClock,
      onFire: async (_spec, due) => {
        if (!fire) throw new Error('the control plane is not composed yet');
        const outcome = await fire(due);
        if (outcome.status === 'skipped' && outcome.reason !== 'duplicate') log(`schedule ${due.scheduleId} skipped: ${outcome.reason}`);
      },
      log,
    });
    teardown.add(() => scheduler.stop());

    const plane = await composeControlPlane(
      {
        store,
        runEvents,
        blobs: createFileBlobStore(join(options.dataDir, 'blobs')),
        launcher: options.launcher ?? (localLauncher as RunLauncher),
        registry,
        pusher,
        authenticator,
        sessionCodec,
        capabilitySecret: secret,
        secretCipher: createLocalSecretCipher(loadOrCreateSecretKey(join(options.dataDir, 'secret-key'))),
        outbound: options.outbound ?? createSafeHttpClient(),
        scheduler,
        clock: systemClock,
        ids: sortableIdGenerator,
      },
      {
        version: options.version ?? '0.1.0',
        internalApiUrl: `http://127.0.0.1:${port}`,
        models: modelConfigurationFromEnvironment({ ...process.env, ...worker.env }),
        allowedOrigins: origins,
        allowedHosts: hosts,
        dataFeed: 'in-process',
        ...(options.oidc ? { oidc: { issuer: options.oidc.issuer, audience: options.oidc.audience } } : {}),
        clientAddress: (c) =>
          (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'local',
        log,
      },
    );
    plane.start();
    teardown.add(() => plane.stop());
    fire = (due) => plane.schedules.fire(due);
    // Schedules of published agents, from the store: one that fell due while the host was down fires once now.
    await plane.schedules.restore();
    scheduler.start(15_000);
    if (localLauncher) teardown.add(() => localLauncher.stopAll());
    // The in-process scheduler: workers that stop sending heartbeats are failed within 20 s.
    const sweeper = setInterval(
      () => void plane.worker.sweepLostWorkers().catch((error: unknown) => log(`sweep failed: ${String(error)}`)),
      5000,
    );
    sweeper.unref();
    teardown.add(() => clearInterval(sweeper));
    // Audit retention: hourly, and once shortly after start (the purge audits itself).
    const purgeAudit = () =>
      void plane.governance.retention.purgeExpired().catch((error: unknown) => log(`audit purge failed: ${String(error)}`));
    const auditPurger = setInterval(purgeAudit, 3600_000);
    auditPurger.unref();
    const firstPurge = setTimeout(purgeAudit, 10_000);
    firstPurge.unref();
    teardown.add(() => {
      clearInterval(auditPurger);
      clearTimeout(firstPurge);
    });

    const root = new Hono<AppEnv>();
    root.route('/', plane.app);
    if (options.webDistDir) {
      const serveStatic = createStaticHandler(options.webDistDir, options.oidc ? [new URL(options.oidc.issuer).origin] : []);
      root.get('*', (c) => serveStatic(new URL(c.req.url).pathname));
    }
    gateway.serve(plane.websocketHandlers);
    const listener = getRequestListener(root.fetch);
    handle = (request, response) => void listener(request, response);

    const url = `http://${wildcardAddresses.has(bound) || bound === '127.0.0.1' ? 'localhost' : bound}:${port}`;
    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      launcher: localLauncher,
      routes: root.routes.map(({ method, path }) => ({ method, path })),
      close: () => (closing ??= teardown.run()),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}
