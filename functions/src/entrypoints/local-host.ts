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
import { createSessionHandlers } from '../realtime/session-handlers';
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
  log?: (message: string) => void;
}

export interface LocalHost {
  url: string;
  port: number;
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

  const api = createApp({
    services,
    authenticator,
    sessionCodec,
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
  const handlers = createSessionHandlers({
    authenticator,
    store,
    clock: systemClock,
    log,
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
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        const httpServer = server as Server;
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await gateway.close();
        // In-flight requests finish (their writes are acknowledged) before the store closes.
        const grace = setTimeout(() => httpServer.closeAllConnections(), 5000);
        await stopped;
        clearTimeout(grace);
        await store.close();
      })();
      return closing;
    },
  };
}
