import type { Context } from 'hono';
import type { Authenticated, Authenticator } from '../auth/authenticator';
import type { SessionCodec } from '../auth/session-cookie';
import type { BuilderInfo } from '@hangar/protocol';
import type { CapabilityTokens } from '../auth/capability-tokens';
import type { BuilderService } from '../domain/builder-service';
import type { DataService } from '../domain/data-service';
import type { ModelGatewayService } from '../domain/model-gateway';
import type { RunWorkerService } from '../domain/run-worker-service';
import type { Services } from '../domain/services';
import type { VersionService } from '../domain/version-service';
import type { BlobStore } from '../ports/blob-store';
import type { HostAllowList, OriginAllowList } from './request-policy';
import type { AgentServices } from '../domain/agents/agent-services';
import type { GovernanceServices } from '../domain/governance-services';

/** The builder's services. */
export interface BuilderDependencies {
  builder: BuilderService;
  versions: VersionService;
  worker: RunWorkerService;
  tokens: CapabilityTokens;
  blobs: BlobStore;
  /** The model gateway: the worker's model calls, usage and spend limits. */
  models: ModelGatewayService;
  /** Which model builds apps, for the console's "no model key" state. */
  info: BuilderInfo;
  /** Review, publish, collaborators, teams, settings, audit retention. */
  governance?: GovernanceServices;
}

/** What the HTTP app is built from; `composition/compose-control-plane.ts` supplies it. */
export interface AppDependencies {
  services: Services;
  authenticator: Authenticator;
  builder: BuilderDependencies;
  /** Live app data. */
  data: DataService;
  /** App agents: configuration, approval, secrets and tools. */
  agents: AgentServices;
  /** Present in `none` mode, where the app signs its own session cookies. */
  sessionCodec: SessionCodec | null;
  config: {
    version: string;
    storeKind: string;
    /** The origins allowed to make cookie-authenticated mutations (configured, never the request's own Host). */
    allowedOrigins: OriginAllowList;
    /** Host names the server answers for (DNS rebinding defence); null: any. */
    allowedHosts: HostAllowList | null;
    /** The identity provider, shown on the sign-in page in `oidc` mode. */
    oidc?: { issuer: string; audience: string };
    /** Requests per minute: sign-in attempts per client address, and mutations per identity. */
    rateLimits?: { authPerMinute: number; mutationsPerMinute: number };
  };
  /** The caller's network address, for rate limits; each runtime knows where it is. */
  clientAddress?: (c: Context<AppEnv>) => string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    auth: Authenticated | null;
  };
}
