import type { App, Collaborator } from '@hangar/protocol';
import { toApp } from './builder-mappers';
import { BadRequestError, NotFoundError } from './errors';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { governanceCollections, type TeamRecord } from './governance-records';
import { roleAtLeast } from './permissions';
import { builderCollections, collections, type AppRecord, type MembershipRecord } from './records';
import type { Actor } from './workspace-access';

/** Who builds an app (collaborators) and which teams see it once published. */
export class CollaboratorService {
  constructor(private readonly context: GovernanceContext) {}

  private apps() {
    return this.context.store.collection<AppRecord>(builderCollections.apps);
  }

  /** The creator first, then the collaborators; visible to the app's builders. */
  async list(actor: Actor, workspaceId: string, appId: string): Promise<Collaborator[]> {
    const { app } = await this.context.appAccess.require(actor, workspaceId, appId, 'use');
    const ids = [app.createdBy, ...(app.collaboratorIds ?? [])];
    const members = await this.members(workspaceId, ids);
    return ids.map((userId) => {
      const member = members.get(userId);
      return { userId, name: member?.name ?? 'Former member', email: member?.email ?? '', creator: userId === app.createdBy };
    });
  }

  /** The creator and admins set the whole list; every collaborator must be a member (or above). */
  async set(actor: Actor, workspaceId: string, appId: string, userIds: string[]): Promise<Collaborator[]> {
    const app = await this.requireManager(actor, workspaceId, appId);
    const wanted = [...new Set(userIds)].filter((id) => id !== app.createdBy);
    const members = await this.members(workspaceId, wanted);
    for (const id of wanted) {
      const member = members.get(id);
      if (!member) throw new BadRequestError(`${id} is not a member of this workspace.`);
      if (!roleAtLeast(member.role, 'member')) throw new BadRequestError(`${member.name} is a viewer; viewers cannot build apps.`);
    }
    const before = app.collaboratorIds ?? [];
    await this.apps().updateOne({ _id: appId, workspaceId }, { $set: { collaboratorIds: wanted } });
    const added = wanted.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !wanted.includes(id));
    const names = (ids: string[]) => ids.map((id) => members.get(id)?.name ?? id);
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.collaborators_changed',
      target: { type: 'app', id: appId, label: app.name },
      summary: `${nameOf(actor)} changed the collaborators of ${app.name}${added.length ? `: added ${names(added).join(', ')}` : ''}${removed.length ? `${added.length ? ';' : ':'} removed ${removed.join(', ')}` : ''}`,
      metadata: { added, removed },
      event: { type: 'app.collaborators_changed', appId, appBefore: app },
    });
    return this.list(actor, workspaceId, appId);
  }

  /** The creator and admins choose the teams that see the published app (none: the whole workspace). */
  async setVisibility(actor: Actor, workspaceId: string, appId: string, teamIds: string[]): Promise<App> {
    const app = await this.requireManager(actor, workspaceId, appId);
    const wanted = [...new Set(teamIds)];
    const teams = await this.context.store
      .collection<TeamRecord>(governanceCollections.teams)
      .find({ workspaceId, _id: { $in: wanted } }, { limit: 100 });
    const missing = wanted.filter((id) => !teams.items.some((team) => team._id === id));
    if (missing.length > 0) throw new BadRequestError(`No such team: ${missing.join(', ')}.`);
    const updated = await this.apps().updateOne({ _id: appId, workspaceId }, { $set: { teamIds: wanted } });
    if (!updated) throw new NotFoundError('App not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.visibility_changed',
      target: { type: 'app', id: appId, label: app.name },
      summary:
        wanted.length === 0
          ? `${nameOf(actor)} made ${app.name} visible to the whole workspace`
          : `${nameOf(actor)} made ${app.name} visible to ${teams.items.map((team) => team.name).join(', ')}`,
      metadata: { from: app.teamIds ?? [], to: wanted },
      event: { type: 'app.visibility_changed', appId, appBefore: app },
    });
    return toApp(updated);
  }

  private async requireManager(actor: Actor, workspaceId: string, appId: string): Promise<AppRecord> {
    const membership = await this.context.access.member(workspaceId, actor);
    const app = await this.context.appAccess.appOf(workspaceId, appId);
    if (app.createdBy === actor.identity.id && roleAtLeast(membership.role, 'member')) return app;
    if (roleAtLeast(membership.role, 'admin')) return app;
    return this.context.access.denied(workspaceId, actor, 'apps.share', `app ${appId}`, 'Only the app’s creator, admins and owners can change who builds or sees it.');
  }

  private async members(workspaceId: string, userIds: string[]): Promise<Map<string, MembershipRecord>> {
    if (userIds.length === 0) return new Map();
    const page = await this.context.store
      .collection<MembershipRecord>(collections.memberships)
      .find({ workspaceId, userId: { $in: userIds } }, { limit: 500 });
    return new Map(page.items.map((member) => [member.userId, member]));
  }
}
