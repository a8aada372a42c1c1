import type { AccessAudience } from '@hangar/protocol';
import type { DocumentStore } from '../ports/document-store';
import { NotFoundError } from './errors';
import { governanceCollections, type TeamRecord } from './governance-records';
import { roleAtLeast } from './permissions';
import { builderCollections, type AppRecord, type MembershipRecord } from './records';
import type { Actor, WorkspaceAccess } from './workspace-access';

/** What the caller wants to do with an app: change it (and its draft data), or use it once published. */
export type AppNeed = 'build' | 'use';

/**
 * Who may do what with one app. Builders are the creator, the collaborators (members and
 * above) and admins/owners; they see drafts. Everyone else sees an app only once it is
 * published and visible to them: to the whole workspace, or to the teams it was given to.
 */
export class AppAccess {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
  ) {}

  /** The app of the workspace, or NotFoundError. */
  async appOf(workspaceId: string, appId: string): Promise<AppRecord> {
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId });
    if (!app) throw new NotFoundError('App not found.');
    return app;
  }

  /** Whether this membership builds the app. */
  isBuilder(app: AppRecord, membership: MembershipRecord): boolean {
    if (roleAtLeast(membership.role, 'admin')) return true;
    if (!roleAtLeast(membership.role, 'member')) return false;
    return app.createdBy === membership.userId || (app.collaboratorIds ?? []).includes(membership.userId);
  }

  /** Whether this membership may use the published app (false while unpublished). */
  async seesPublished(app: AppRecord, membership: MembershipRecord): Promise<boolean> {
    if (!app.publishedVersionId) return false;
    if (this.isBuilder(app, membership)) return true;
    const teamIds = app.teamIds ?? [];
    if (teamIds.length === 0) return true;
    const teams = await this.store
      .collection<TeamRecord>(governanceCollections.teams)
      .find({ workspaceId: app.workspaceId, _id: { $in: teamIds } }, { limit: 100 });
    return teams.items.some((team) => team.memberIds.includes(membership.userId));
  }

  /** Whether an audience of an access rule includes this membership. */
  inAudience(audience: AccessAudience, app: AppRecord, membership: MembershipRecord): boolean {
    switch (audience) {
      case 'viewers':
        return true;
      case 'members':
        return roleAtLeast(membership.role, 'member');
      case 'collaborators':
        return this.isBuilder(app, membership);
      case 'admins':
        return roleAtLeast(membership.role, 'admin');
      default: {
        const unknown: never = audience;
        throw new Error(`unknown audience ${String(unknown)}`);
      }
    }
  }

  /**
   * The app and the caller's membership when the caller may build it (`build`) or see it
   * (`use`: builders, or a published app visible to them). 404 outside the workspace or for an
   * unknown app, 403 (audited) otherwise.
   */
  async require(actor: Actor, workspaceId: string, appId: string, need: AppNeed): Promise<{ app: AppRecord; membership: MembershipRecord }> {
    const membership = await this.access.member(workspaceId, actor);
    const app = await this.appOf(workspaceId, appId);
    const allowed = need === 'build' ? this.isBuilder(app, membership) : this.isBuilder(app, membership) || (await this.seesPublished(app, membership));
    if (!allowed) {
      const why =
        need === 'build'
          ? 'Only the app’s creator, its collaborators, admins and owners can change it.'
          : 'This app is not published for you.';
      return this.access.denied(workspaceId, actor, need === 'build' ? 'apps.build' : 'apps.read', `app ${appId}`, why);
    }
    return { app, membership };
  }

  /** The apps of a workspace the caller sees: builders see drafts, others the visible published ones. */
  async visibleApps(actor: Actor, workspaceId: string): Promise<AppRecord[]> {
    const membership = await this.access.member(workspaceId, actor);
    const page = await this.store
      .collection<AppRecord>(builderCollections.apps)
      .find({ workspaceId }, { sort: { _id: -1 }, limit: 200 });
    const visible: AppRecord[] = [];
    for (const app of page.items) if (this.isBuilder(app, membership) || (await this.seesPublished(app, membership))) visible.push(app);
    return visible;
  }
}
