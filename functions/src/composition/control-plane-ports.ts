import type { Context } from 'hono';
import type { ModelConfiguration } from '../entrypoints/model-configuration';
import type { Authenticator } from '../auth/authenticator';
import type { SessionCodec } from '../auth/session-cookie';
import type { AppEnv } from '../http/app-env';
import type { HostAllowList } from '../http/request-policy';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { ConnectionRegistry } from '../ports/connection-registry';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { RunEventLog } from '../ports/run-event-log';
import type { RunLauncher } from '../ports/run-launcher';
import type { OutboundHttp } from '../ports/outbound-http';
import type { Scheduler } from '../ports/scheduler';
import type { SecretCipher } from '../ports/secret-cipher';
import type { PushDeliveryOptions } from '../realtime/push-delivery';

/** Every port the control plane is built from; each composition root chooses the adapters. */
export interface ControlPlanePorts {
  store: DocumentStore;
  /** The run event log adapter; the composition wraps it so appends are pushed to subscribers. */
  runEvents: RunEventLog;
  blobs: BlobStore;
  launcher: RunLauncher;
  /** Who is subscribed to what (data scopes and runs); shared by every process of a deployment. */
  registry: ConnectionRegistry;
  pusher: ConnectionPusher;
  authenticator: Authenticator;
  /** Present in `none` auth mode, where the app signs its own session cookies. */
  sessionCodec: SessionCodec | null;
  /** Signs run and preview capability tokens; the same in every process of a deployment. */
  capabilitySecret: Buffer;
  /** Seals app secrets at rest (local key file, or KMS). */
  secretCipher: SecretCipher;
  /** The only way app-agent tools reach the outside. */
  outbound: OutboundHttp;
  /**
   * Fires app-agent schedules (in process over the Clock, or EventBridge Scheduler). Its fires
   * come back through `plane.agents.schedules.fire`, which the root connects.
   */
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
}

/** Where changes to app data come from. */
export type DataFeed =
  /** This process reads the store's change feed (embedded store; one relay per process). */
  | 'in-process'
  /** A separate relay (the DocumentDB change-stream Lambda) pushes changes with durable sequence numbers. */
  | 'documentdb-stream';

/** The typed configuration of one deployment. */
export interface ControlPlaneConfig {
  version: string;
  /** The internal API base URL workers are given, e.g. `http://127.0.0.1:8787`. */
  internalApiUrl: string;
  /** Which provider and model runs builds and agents: the console's info and the model gateway both come from it. */
  models: ModelConfiguration;
  /** Origins whose pages may use cookie sessions (CSRF and WebSocket checks); e.g. `http://localhost:8787`. */
  allowedOrigins: readonly string[];
  /** Host names the server answers for (DNS rebinding); null where the platform routes by domain. */
  allowedHosts: HostAllowList | null;
  dataFeed: DataFeed;
  /** The identity provider, shown on the sign-in page in `oidc` mode. */
  oidc?: { issuer: string; audience: string };
  /** Requests per minute: sign-in attempts per client address, and mutations per identity. */
  rateLimits?: { authPerMinute: number; mutationsPerMinute: number };
  /** The caller's network address, for rate limits; each runtime knows where it is. */
  clientAddress?: (c: Context<AppEnv>) => string;
  /** Retry policy of WebSocket pushes. */
  delivery?: PushDeliveryOptions;
  log: (message: string) => void;
}
