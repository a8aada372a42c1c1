import type { Workspace, WorkspaceSummary } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { AuditLog } from './audit-log';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';
import { NotFoundError } from './errors';
import { collections, type MembershipRecord, type WorkspaceRecord } from './records';

const toWorkspace = (record: WorkspaceRecord): Workspace => ({
  id: record._id,
  name: record.name,
  createdAt: record.createdAt,
  createdBy: record.createdBy,
});

/** Creating, listing, reading and renaming workspaces. */
export class WorkspaceService {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  private get workspaces() {
    return this.store.collection<WorkspaceRecord>(collections.workspaces);
  }
  private get memberships() {
    return this.store.collection<MembershipRecord>(collections.memberships);
  }

  async ensureIndexes(): Promise<void> {
    await this.memberships.createIndex({ keys: { workspaceId: 1, userId: 1 }, unique: true, name: 'workspace_user' });
    await this.memberships.createIndex({ keys: { userId: 1 } });
  }

  private async summarize(record: WorkspaceRecord, membership: MembershipRecord): Promise<WorkspaceSummary> {
    return { ...toWorkspace(record), role: membership.role, memberCount: await this.memberships.count({ workspaceId: record._id }) };
  }

  /** Creates a workspace; the creator becomes its owner. */
  async create(actor: Actor, name: string): Promise<WorkspaceSummary> {
    const now = this.clock.now().toISOString();
    const id = this.ids('wsp');
    const record: WorkspaceRecord = { _id: id, workspaceId: id, name, createdAt: now, createdBy: actor.identity.id };
    await this.workspaces.insertOne(record);
    const membership: MembershipRecord = {
      _id: this.ids('mem'),
      workspaceId: id,
      userId: actor.identity.id,
      email: actor.identity.email,
      name: actor.identity.name,
      role: 'owner',
      joinedAt: now,
    };
    await this.memberships.insertOne(membership);
    const target = { type: 'workspace', id, label: name };
    await this.audit.record({ workspaceId: id, actor: auditActorOf(actor), source: actor.source, action: 'workspace.created', target });
    await this.audit.record({
      workspaceId: id,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'member.added',
      target: { type: 'member', id: actor.identity.id, label: actor.identity.email },
      metadata: { role: 'owner', via: 'workspace.created' },
    });
    return this.summarize(record, membership);
  }

  /** The workspaces the actor belongs to, oldest first. */
  async listMine(actor: Actor): Promise<WorkspaceSummary[]> {
    const mine = await this.memberships.find({ userId: actor.identity.id }, { limit: 500 });
    const records = await this.workspaces.find({ _id: { $in: mine.items.map((membership) => membership.workspaceId) } }, { limit: 500 });
    const byId = new Map(records.items.map((record) => [record._id, record]));
    const summaries: WorkspaceSummary[] = [];
    for (const membership of mine.items) {
      const record = byId.get(membership.workspaceId);
      if (record) summaries.push(await this.summarize(record, membership));
    }
    return summaries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(actor: Actor, workspaceId: string): Promise<WorkspaceSummary> {
    const membership = await this.access.require(workspaceId, actor, 'workspace.read');
    const record = await this.workspaces.findOne({ _id: workspaceId });
    if (!record) throw new NotFoundError('Workspace not found.');
    return this.summarize(record, membership);
  }

  async rename(actor: Actor, workspaceId: string, name: string): Promise<WorkspaceSummary> {
    const membership = await this.access.require(workspaceId, actor, 'workspace.update');
    const before = await this.workspaces.findOne({ _id: workspaceId });
    const record = await this.workspaces.updateOne({ _id: workspaceId }, { $set: { name } });
    if (!before || !record) throw new NotFoundError('Workspace not found.');
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'workspace.renamed',
      target: { type: 'workspace', id: workspaceId, label: name },
      metadata: { from: before.name, to: name },
    });
    return this.summarize(record, membership);
  }
}
