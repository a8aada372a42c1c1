import type { CreateTeamBody, Team } from '@hangar/protocol';
import { BadRequestError, ConflictError, NotFoundError } from './errors';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { governanceCollections, type TeamRecord } from './governance-records';
import { builderCollections, collections, type AppRecord, type MembershipRecord } from './records';
import type { Actor } from './workspace-access';

const toTeam = ({ _id, ...rest }: TeamRecord): Team => ({ id: _id, ...rest });

/** Teams of a workspace: everyone reads them, admins create, rename, delete and change members. */
export class TeamService {
  constructor(private readonly context: GovernanceContext) {}

  private teams() {
    return this.context.store.collection<TeamRecord>(governanceCollections.teams);
  }

  async ensureIndexes(): Promise<void> {
    await this.teams().createIndex({ keys: { workspaceId: 1, name: 1 }, unique: true, name: 'workspace_team_name' });
  }

  async list(actor: Actor, workspaceId: string): Promise<Team[]> {
    await this.context.access.require(workspaceId, actor, 'teams.read');
    const page = await this.teams().find({ workspaceId }, { sort: { name: 1 }, limit: 200 });
    return page.items.map(toTeam);
  }

  async create(actor: Actor, workspaceId: string, body: CreateTeamBody): Promise<Team> {
    await this.context.access.require(workspaceId, actor, 'teams.manage');
    const memberIds = [...new Set(body.memberIds ?? [])];
    await this.requireMembers(workspaceId, memberIds);
    if (await this.teams().findOne({ workspaceId, name: body.name })) throw new ConflictError(`A team named ${body.name} exists.`);
    const team: TeamRecord = {
      _id: this.context.ids('team'),
      workspaceId,
      name: body.name,
      memberIds,
      createdAt: this.context.clock.now().toISOString(),
      createdBy: actor.identity.id,
    };
    await this.teams().insertOne(team);
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'team.created',
      target: { type: 'team', id: team._id, label: team.name },
      summary: `${nameOf(actor)} created the team ${team.name}`,
      metadata: { memberIds },
      event: { type: 'team.created', targetId: team._id },
    });
    return toTeam(team);
  }

  async rename(actor: Actor, workspaceId: string, teamId: string, name: string): Promise<Team> {
    await this.context.access.require(workspaceId, actor, 'teams.manage');
    const team = await this.team(workspaceId, teamId);
    const clash = await this.teams().findOne({ workspaceId, name });
    if (clash && clash._id !== teamId) throw new ConflictError(`A team named ${name} exists.`);
    const renamed = await this.teams().updateOne({ _id: teamId, workspaceId }, { $set: { name } });
    if (!renamed) throw new NotFoundError('Team not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'team.renamed',
      target: { type: 'team', id: teamId, label: name },
      summary: `${nameOf(actor)} renamed the team ${team.name} to ${name}`,
      metadata: { from: team.name, to: name },
      event: { type: 'team.updated', targetId: teamId },
    });
    return toTeam(renamed);
  }

  /** Deleting a team also removes it from the apps it could see (they fall back to the remaining teams). */
  async remove(actor: Actor, workspaceId: string, teamId: string): Promise<void> {
    await this.context.access.require(workspaceId, actor, 'teams.manage');
    const team = await this.team(workspaceId, teamId);
    const apps = this.context.store.collection<AppRecord>(builderCollections.apps);
    const granted = await apps.find({ workspaceId }, { limit: 1000 });
    for (const app of granted.items) {
      if ((app.teamIds ?? []).includes(teamId)) {
        const remaining = (app.teamIds ?? []).filter((id) => id !== teamId);
        // An app that only this team could see stays limited (to nobody but its builders), never opens up.
        await apps.updateOne({ _id: app._id }, { $set: { teamIds: remaining.length > 0 ? remaining : ['team_deleted'] } });
      }
    }
    await this.teams().deleteOne({ _id: teamId, workspaceId });
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'team.deleted',
      target: { type: 'team', id: teamId, label: team.name },
      summary: `${nameOf(actor)} deleted the team ${team.name}`,
      metadata: { memberCount: team.memberIds.length },
      event: { type: 'team.deleted', targetId: teamId },
    });
  }

  async addMember(actor: Actor, workspaceId: string, teamId: string, userId: string): Promise<Team> {
    await this.context.access.require(workspaceId, actor, 'teams.manage');
    const team = await this.team(workspaceId, teamId);
    const [member] = await this.requireMembers(workspaceId, [userId]);
    const updated = await this.teams().updateOne({ _id: teamId, workspaceId }, { $addToSet: { memberIds: userId } });
    if (!updated) throw new NotFoundError('Team not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'team.member_added',
      target: { type: 'team', id: teamId, label: team.name },
      summary: `${nameOf(actor)} added ${member?.name ?? userId} to the team ${team.name}`,
      metadata: { userId },
      event: { type: 'team.members_changed', targetId: teamId },
    });
    return toTeam(updated);
  }

  async removeMember(actor: Actor, workspaceId: string, teamId: string, userId: string): Promise<Team> {
    await this.context.access.require(workspaceId, actor, 'teams.manage');
    const team = await this.team(workspaceId, teamId);
    if (!team.memberIds.includes(userId)) throw new NotFoundError('That person is not in the team.');
    const updated = await this.teams().updateOne(
      { _id: teamId, workspaceId },
      { $set: { memberIds: team.memberIds.filter((id) => id !== userId) } },
    );
    if (!updated) throw new NotFoundError('Team not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'team.member_removed',
      target: { type: 'team', id: teamId, label: team.name },
      summary: `${nameOf(actor)} removed ${userId} from the team ${team.name}`,
      metadata: { userId },
      event: { type: 'team.members_changed', targetId: teamId },
    });
    return toTeam(updated);
  }

  private async team(workspaceId: string, teamId: string): Promise<TeamRecord> {
    const team = await this.teams().findOne({ _id: teamId, workspaceId });
    if (!team) throw new NotFoundError('Team not found.');
    return team;
  }

  private async requireMembers(workspaceId: string, userIds: string[]): Promise<MembershipRecord[]> {
    if (userIds.length === 0) return [];
    const page = await this.context.store
      .collection<MembershipRecord>(collections.memberships)
      .find({ workspaceId, userId: { $in: userIds } }, { limit: 500 });
    const missing = userIds.filter((id) => !page.items.some((member) => member.userId === id));
    if (missing.length > 0) throw new BadRequestError(`Not a member of this workspace: ${missing.join(', ')}.`);
    return userIds.map((id) => page.items.find((member) => member.userId === id) as MembershipRecord);
  }
}
