import type { Membership, Role } from '@hangar/protocol';
import type { DocumentStore } from '../ports/document-store';
import { noDomainEvents, type DomainEventPublisher } from '../ports/domain-events';
import type { AuditLog } from './audit-log';
import { ConflictError, NotFoundError } from './errors';
import { canManageRole } from './permissions';
import { collections, type MembershipRecord } from './records';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

export const toMembership = ({ workspaceId, userId, email, name, role, joinedAt }: MembershipRecord): Membership => ({
  workspaceId,
  userId,
  email,
  name,
  role,
  joinedAt,
});

/**
 * Members and their roles. Rules: a workspace always keeps an owner; nobody changes their own
 * role; only owners grant, change or remove the owner role. Every change is announced as a
 * domain event, so open subscriptions of the person are rechecked before the call returns.
 */
export class MembershipService {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEventPublisher = noDomainEvents,
  ) {}

  private get memberships() {
    return this.store.collection<MembershipRecord>(collections.memberships);
  }

  async list(actor: Actor, workspaceId: string): Promise<Membership[]> {
    await this.access.require(workspaceId, actor, 'members.read');
    const page = await this.memberships.find({ workspaceId }, { limit: 1000 });
    return page.items.map(toMembership).sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  }

  private async target(workspaceId: string, userId: string): Promise<MembershipRecord> {
    const membership = await this.memberships.findOne({ workspaceId, userId });
    if (!membership) throw new NotFoundError('Member not found.');
    return membership;
  }

  private async ownerCount(workspaceId: string): Promise<number> {
    return this.memberships.count({ workspaceId, role: 'owner' });
  }

  async changeRole(actor: Actor, workspaceId: string, userId: string, role: Role): Promise<Membership> {
    const mine = await this.access.require(workspaceId, actor, 'members.change_role');
    const member = await this.target(workspaceId, userId);
    if (userId === actor.identity.id) {
      return this.access.denied(workspaceId, actor, 'member.role_changed', 'own role', 'Nobody can change their own role.');
    }
    if (!canManageRole(mine.role, member.role) || !canManageRole(mine.role, role)) {
      return this.access.denied(
        workspaceId,
        actor,
        'member.role_changed',
        'owner role',
        'Only owners can grant, change or remove the owner role.',
      );
    }
    if (member.role === 'owner' && role !== 'owner' && (await this.ownerCount(workspaceId)) <= 1) {
      throw new ConflictError('A workspace always keeps an owner.');
    }
    if (member.role === role) return toMembership(member);
    const updated = await this.memberships.updateOne({ workspaceId, userId }, { $set: { role } });
    if (!updated) throw new NotFoundError('Member not found.');
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'member.role_changed',
      target: { type: 'member', id: userId, label: member.email },
      metadata: { from: member.role, to: role },
    });
    await this.events.publish({ type: 'member.role_changed', workspaceId, userId, from: member.role, to: role });
    return toMembership(updated);
  }

  /** Removes a member; members may also remove themselves (leave), unless they are the last owner. */
  async remove(actor: Actor, workspaceId: string, userId: string): Promise<void> {
    const leaving = userId === actor.identity.id;
    const mine = leaving ? await this.access.member(workspaceId, actor) : await this.access.require(workspaceId, actor, 'members.remove');
    const member = leaving ? mine : await this.target(workspaceId, userId);
    if (!leaving && !canManageRole(mine.role, member.role)) {
      return this.access.denied(workspaceId, actor, 'member.removed', 'owner role', 'Only owners can remove an owner.');
    }
    if (member.role === 'owner' && (await this.ownerCount(workspaceId)) <= 1) {
      throw new ConflictError('A workspace always keeps an owner. Make someone else an owner first.');
    }
    if (!(await this.memberships.deleteOne({ workspaceId, userId }))) throw new NotFoundError('Member not found.');
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: leaving ? 'member.left' : 'member.removed',
      target: { type: 'member', id: userId, label: member.email },
      metadata: { role: member.role },
    });
    await this.events.publish({ type: 'member.removed', workspaceId, userId });
  }
}
