import type { AuditTarget } from '@hangar/protocol';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { AppAccess } from './app-access';
import type { AuditLog } from './audit-log';
import type { GovernanceEvent, GovernanceEvents } from './governance-events';
import type { VersionRecord } from './records';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

/**
 * What publishing asks of app agents (the composition builds it from the agent services):
 * publishing needs the version's agents.json approved, records its hash on the app, and
 * schedules follow what is published. Absent, apps publish no agents.
 */
export interface PublishedAgents {
  /** The approved agents hash a version publishes; null when it declares no agents. Throws a 4xx when they are not approved. */
  approvedHashOf(version: VersionRecord): Promise<string | null>;
  /** The app record now publishes `hash`: put new and changed schedules, remove gone ones. */
  published(actor: Actor, workspaceId: string, appId: string, hash: string | null): Promise<void>;
  /** Unpublished or deleted: every schedule of the app goes. Returns how many. */
  withdrawn(actor: Actor, workspaceId: string, appId: string, reason: 'unpublished' | 'app_deleted'): Promise<number>;
}

/** What every governance service is built from. */
export interface GovernanceContext {
  store: DocumentStore;
  access: WorkspaceAccess;
  appAccess: AppAccess;
  audit: AuditLog;
  blobs: BlobStore;
  events: GovernanceEvents;
  ids: IdGenerator;
  clock: Clock;
  agents?: PublishedAgents;
}

/** Audits a successful governance change by a person and publishes its domain event. */
export async function recordChange(
  context: GovernanceContext,
  actor: Actor,
  change: {
    workspaceId: string;
    action: string;
    target: AuditTarget;
    summary: string;
    metadata?: Record<string, unknown>;
    event?: Omit<GovernanceEvent, 'workspaceId' | 'at'>;
  },
): Promise<void> {
  await context.audit.record({
    workspaceId: change.workspaceId,
    actor: auditActorOf(actor),
    source: actor.source,
    action: change.action,
    target: change.target,
    summary: change.summary,
    ...(change.metadata ? { metadata: change.metadata } : {}),
  });
  if (change.event) {
    await context.events.publish({ ...change.event, workspaceId: change.workspaceId, at: context.clock.now().toISOString() });
  }
}

/** A person's display name for summaries. */
export const nameOf = (actor: Actor) => actor.identity.name || actor.identity.email;
