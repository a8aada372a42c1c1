import type { Context } from 'hono';
import type { Authenticated, Authenticator } from '../auth/authenticator';
import type { SessionCodec } from '../auth/session-cookie';
import type { BuilderInfo } from '@hangar/protocol';
import type { CapabilityTokens } from '../auth/capability-tokens';
import type { BuilderService } from '../domain/builder-service';
import type { DataService } from '../domain/data-service';
import type { RunWorkerService } from '../domain/run-worker-service';
import type { Services } from '../domain/services';
import type { VersionService } from '../domain/version-service';
import type { BlobStore } from '../ports/blob-store';
import type { GovernanceServices } from '../domain/governance-services';

/** The builder's services; absent in deployments that do not run the builder. */
export interface BuilderDependencies {
  builder: BuilderService;
  versions: VersionService;
  worker: RunWorkerService;
  tokens: CapabilityTokens;
  blobs: BlobStore;
  /** Which model builds apps, for the console's "no model key" state. */
  info: BuilderInfo;
  /** Review, publish, collaborators, teams, settings, audit retention. */
  governance?: GovernanceServices;
}

/** What the HTTP app is built from; each composition root supplies it. */
export interface AppDependencies {
  services: Services;
  authenticator: Authenticator;
  builder?: BuilderDependencies;
  /** Live app data (needs the builder's apps). */
  data?: DataService;
  /** Present in `none` mode, where the app signs its own session cookies. */
  sessionCodec: SessionCodec | null;
  config: {
    version: string;
    storeKind: string;
    /** Extra origins allowed to make cookie-authenticated mutations (the request's own origin always is). */
    trustedOrigins?: string[];
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
