import type { Identity } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import { DuplicateKeyError, type DocumentStore } from '../ports/document-store';
import { noDomainEvents, type DomainEventPublisher } from '../ports/domain-events';
import type { IdGenerator } from '../ports/id-generator';
import type { AuditLog } from './audit-log';
import { collections, type InvitationRecord, type MembershipRecord, type UserRecord } from './records';
import { auditActorOf, type Actor } from './workspace-access';

/**
 * What happens when an identity signs in: its user record is upserted, pending invitations
 * for its (verified) email are accepted, and the sign-in is audited in each of its workspaces.
 */
export class SignInService {
  constructor(
    private readonly store: DocumentStore,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: DomainEventPublisher = noDomainEvents,
  ) {}

  async signIn(actor: Actor, options: { emailVerified: boolean }): Promise<void> {
    const { identity } = actor;
    const now = this.clock.now().toISOString();
    await this.upsertUser(identity, now);
    if (options.emailVerified) await this.acceptInvitations(actor, now);
    const memberships = await this.store
      .collection<MembershipRecord>(collections.memberships)
      .find({ userId: identity.id }, { limit: 500 });
    for (const membership of memberships.items) {
      await this.audit.record({
        workspaceId: membership.workspaceId,
        actor: auditActorOf(actor),
        source: actor.source,
        action: 'identity.signed_in',
        target: { type: 'identity', id: identity.id, label: identity.email },
        metadata: { provider: identity.provider },
      });
    }
  }

  private async upsertUser(identity: Identity, now: string) {
    const users = this.store.collection<UserRecord>(collections.users);
    const updated = await users.updateOne(
      { _id: identity.id },
      { $set: { email: identity.email, name: identity.name, lastSignInAt: now } },
    );
    if (updated) return;
    try {
      await users.insertOne({
        _id: identity.id,
        email: identity.email,
        name: identity.name,
        provider: identity.provider,
        createdAt: now,
        lastSignInAt: now,
      });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
  }

  private async acceptInvitations(actor: Actor, now: string) {
    const { identity } = actor;
    const invitations = this.store.collection<InvitationRecord>(collections.invitations);
    const memberships = this.store.collection<MembershipRecord>(collections.memberships);
    const pending = await invitations.find({ email: identity.email, status: 'pending' }, { limit: 100 });
    for (const invitation of pending.items) {
      const accepted = await invitations.updateOne(
        { _id: invitation._id, status: 'pending' },
        { $set: { status: 'accepted', acceptedAt: now } },
      );
      if (!accepted) continue;
      const { workspaceId } = invitation;
      try {
        await memberships.insertOne({
          _id: this.ids('mem'),
          workspaceId,
          userId: identity.id,
          email: identity.email,
          name: identity.name,
          role: invitation.role,
          joinedAt: now,
        });
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
      const actorRef = auditActorOf(actor);
      await this.audit.record({
        workspaceId,
        actor: actorRef,
        source: actor.source,
        action: 'invitation.accepted',
        target: { type: 'invitation', id: invitation._id, label: identity.email },
        metadata: { role: invitation.role },
      });
      await this.audit.record({
        workspaceId,
        actor: actorRef,
        source: actor.source,
        action: 'member.added',
        target: { type: 'member', id: identity.id, label: identity.email },
        metadata: { role: invitation.role, via: 'invitation' },
      });
      await this.events.publish({ type: 'member.added', workspaceId, userId: identity.id });
    }
  }
}
