import type { AuditSource, Identity } from '@hangar/protocol';
import type { DocumentStore } from '../ports/document-store';
import type { AuditLog } from './audit-log';
import { ForbiddenError, NotFoundError } from './errors';
import { hasPermission, type Permission } from './permissions';
import { collections, type MembershipRecord } from './records';

/** Who is acting, and through which entry point. */
export interface Actor {
  identity: Identity;
  source: AuditSource;
}

export const auditActorOf = (actor: Actor) => ({ type: 'user' as const, id: actor.identity.id, email: actor.identity.email });

/**
 * Decides access to one workspace: a non-member gets 404 (the workspace's existence is not
 * revealed), a member without the permission gets 403 and the denial is audited.
 */
export class WorkspaceAccess {
  constructor(
    private readonly store: DocumentStore,
    private readonly audit: AuditLog,
  ) {}

  async membershipOf(workspaceId: string, userId: string): Promise<MembershipRecord | null> {
    return this.store.collection<MembershipRecord>(collections.memberships).findOne({ workspaceId, userId });
  }

  /** The actor's membership, or NotFoundError. */
  async member(workspaceId: string, actor: Actor): Promise<MembershipRecord> {
    const membership = await this.membershipOf(workspaceId, actor.identity.id);
    if (!membership) throw new NotFoundError('Workspace not found.');
    return membership;
  }

  /** The actor's membership when it holds the permission; NotFoundError or ForbiddenError otherwise. */
  async require(workspaceId: string, actor: Actor, permission: Permission): Promise<MembershipRecord> {
    const membership = await this.member(workspaceId, actor);
    if (!hasPermission(membership.role, permission)) {
      await this.denied(workspaceId, actor, permission, `requires ${permission}`);
    }
    return membership;
  }

  /** Audits a denial and throws ForbiddenError. */
  async denied(workspaceId: string, actor: Actor, action: string, reason: string, message?: string): Promise<never> {
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action,
      target: { type: 'workspace', id: workspaceId },
      outcome: 'denied',
      metadata: { reason },
    });
    throw new ForbiddenError(message);
  }
}
