import type { Invitation, Role } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { AuditLog } from './audit-log';
import { ConflictError, NotFoundError } from './errors';
import { canManageRole } from './permissions';
import { collections, type InvitationRecord, type MembershipRecord } from './records';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

export const toInvitation = ({
  _id,
  workspaceId,
  email,
  role,
  status,
  invitedBy,
  createdAt,
  acceptedAt,
}: InvitationRecord): Invitation => ({
  id: _id,
  workspaceId,
  email,
  role,
  status,
  invitedBy,
  createdAt,
  acceptedAt,
});

/** Invitations by email; accepted when that identity signs in (see `SignInService`). */
export class InvitationService {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  private get invitations() {
    return this.store.collection<InvitationRecord>(collections.invitations);
  }

  async ensureIndexes(): Promise<void> {
    await this.invitations.createIndex({ keys: { email: 1, status: 1 } });
    await this.invitations.createIndex({ keys: { workspaceId: 1, status: 1 } });
  }

  async list(actor: Actor, workspaceId: string): Promise<Invitation[]> {
    await this.access.require(workspaceId, actor, 'invitations.read');
    const page = await this.invitations.find({ workspaceId }, { sort: { _id: -1 }, limit: 200 });
    return page.items.map(toInvitation);
  }

  async create(actor: Actor, workspaceId: string, email: string, role: Role): Promise<Invitation> {
    const mine = await this.access.require(workspaceId, actor, 'members.invite');
    if (!canManageRole(mine.role, role)) {
      return this.access.denied(workspaceId, actor, 'invitation.created', 'owner role', 'Only owners can invite owners.');
    }
    const existingMember = await this.store.collection<MembershipRecord>(collections.memberships).findOne({ workspaceId, email });
    if (existingMember) throw new ConflictError(`${email} is already a member of this workspace.`);
    if (await this.invitations.findOne({ workspaceId, email, status: 'pending' })) {
      throw new ConflictError(`${email} already has a pending invitation. Revoke it to invite again.`);
    }
    const record: InvitationRecord = {
      _id: this.ids('inv'),
      workspaceId,
      email,
      role,
      status: 'pending',
      invitedBy: actor.identity.id,
      createdAt: this.clock.now().toISOString(),
      acceptedAt: null,
    };
    await this.invitations.insertOne(record);
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'invitation.created',
      target: { type: 'invitation', id: record._id, label: email },
      metadata: { role },
    });
    return toInvitation(record);
  }

  async revoke(actor: Actor, workspaceId: string, invitationId: string): Promise<void> {
    await this.access.require(workspaceId, actor, 'invitations.revoke');
    const revoked = await this.invitations.updateOne(
      { _id: invitationId, workspaceId, status: 'pending' },
      { $set: { status: 'revoked' } },
    );
    if (!revoked) throw new NotFoundError('No pending invitation with that id.');
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'invitation.revoked',
      target: { type: 'invitation', id: invitationId, label: revoked.email },
      metadata: { role: revoked.role },
    });
  }
}
