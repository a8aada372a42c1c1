import type { WorkspaceEventKind } from '@hangar/protocol';
import type { AppAccess } from './app-access';
import { hasPermission, type Permission } from './permissions';
import type { AppRecord, MembershipRecord } from './records';

/** A change as the workspace channel receives it: the wire event plus what deciding its audience needs. */
export interface WorkspaceChange {
  workspaceId: string;
  kind: WorkspaceEventKind;
  appId?: string;
  targetId?: string;
  at: string;
  /**
   * The app as it was before a change that may hide it from someone (unpublish, delete,
   * collaborators, visibility): whoever saw it then hears that it went away.
   */
  appBefore?: AppRecord;
}

/** Events about a workspace as a whole, and the permission that reading the changed thing needs. */
const workspaceWide: Partial<Record<WorkspaceEventKind, Permission>> = {
  'member.added': 'members.read',
  'member.role_changed': 'members.read',
  'member.removed': 'members.read',
  'team.created': 'teams.read',
  'team.updated': 'teams.read',
  'team.deleted': 'teams.read',
  'team.members_changed': 'teams.read',
  'settings.updated': 'settings.read',
  'audit.purged': 'audit.read',
};

/** App events about its draft side (versions, reviews, who builds it): for its builders only. */
const builderSide = new Set<WorkspaceEventKind>([
  'version.created',
  'review.requested',
  'review.decided',
  'review.stale',
  'app.collaborators_changed',
]);

/**
 * Whether one member may hear of one change: the same rules as reading the thing that changed.
 * Workspace-wide events follow the permission table; an app's events go to those who see the
 * app (its builders, or everyone the published app is visible to), and its draft-side events to
 * its builders only, judged on the app now and, for changes that hide it, as it was before.
 * `app` is the app's current record (null when it is gone or the event has none).
 */
export async function mayReceiveWorkspaceChange(
  appAccess: AppAccess,
  change: WorkspaceChange,
  app: AppRecord | null,
  membership: MembershipRecord,
): Promise<boolean> {
  const permission = workspaceWide[change.kind];
  if (permission) return hasPermission(membership.role, permission);
  if (!change.appId) return false;
  for (const record of [app, change.appBefore]) {
    if (!record || record._id !== change.appId || record.workspaceId !== change.workspaceId) continue;
    if (appAccess.isBuilder(record, membership)) return true;
    if (!builderSide.has(change.kind) && (await appAccess.seesPublished(record, membership))) return true;
  }
  return false;
}
