import type { AccessRules, AgentRunSpec, InvitationStatus, PlanCard, Role, RunStatus, Usage, VersionFile } from '@hangar/protocol';
import type { StoredDocument } from '../ports/document-store';

/** Stored shapes of the foundation's collections. Every workspace record carries `workspaceId`. */
export const collections = {
  users: 'users',
  workspaces: 'workspaces',
  memberships: 'memberships',
  invitations: 'invitations',
  connections: 'ws_connections',
} as const;

export interface UserRecord extends StoredDocument {
  email: string;
  name: string;
  provider: 'local' | 'oidc';
  createdAt: string;
  lastSignInAt: string;
}

export interface WorkspaceRecord extends StoredDocument {
  workspaceId: string;
  name: string;
  createdAt: string;
  createdBy: string;
}

export interface MembershipRecord extends StoredDocument {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface InvitationRecord extends StoredDocument {
  workspaceId: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: string;
  acceptedAt: string | null;
}

export const builderCollections = {
  apps: 'apps',
  runs: 'runs',
  versions: 'app_versions',
} as const;

export interface AppRecord extends StoredDocument {
  workspaceId: string;
  name: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  latestVersionId: string | null;
  latestRunId: string | null;
  latestRunStatus: RunStatus | null;
  /** Governance (absent on apps made before publishing existed). */
  publishedVersionId?: string | null;
  publishedAt?: string | null;
  publishedBy?: string | null;
  publishedReviewId?: string | null;
  /** The access rules approved with the published version. */
  publishedRules?: AccessRules | null;
  /** The approved agents.json hash published with the version (null: it publishes no agents); published agents run from it. */
  publishedAgentsHash?: string | null;
  collaboratorIds?: string[];
  teamIds?: string[];
}

export interface RunRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  status: RunStatus;
  prompt: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  failureReason: string | null;
  provider: string | null;
  model: string | null;
  plan: PlanCard | null;
  usage: Usage;
  versionId: string | null;
  retryOf: string | null;
  /** The worker that reported `started` (a repeated `started` from it is a no-op). */
  workerId?: string | null;
  /** How many sequenced events the worker has delivered: the next batch's `first` (dedupes resent batches). */
  workerEventSequence?: number;
  /** Builder runs change the app; agent runs act on its data (absent on runs made before agents existed: builder). */
  kind?: 'build' | 'agent';
  /** What an agent run runs: the agent, its tools, whether they are live, the input. */
  agent?: AgentRunSpec;
}

export interface VersionRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  number: number;
  runId: string | null;
  createdAt: string;
  files: VersionFile[];
  fileCount: number;
  totalBytes: number;
  restoredFrom: string | null;
  /** The app's name when this version was made, which its built files show; a restore brings it back. Older versions lack it. */
  appName?: string;
}
