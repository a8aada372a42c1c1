import type { ServerMessage, WorkspaceEvent } from '@hangar/protocol';
import type { WorkspaceChange } from '../domain/workspace-event-audience';
import type { AppRecord, MembershipRecord } from '../domain/records';
import type { ConnectionRegistry } from '../ports/connection-registry';
import type { DomainEvent } from '../ports/domain-events';
import { KeyedLock } from './keyed-lock';
import type { Deliver } from './push-delivery';

/** The registry key of a workspace's open consoles; app ids and `run:` never start this way. */
export const workspaceSubscriptionKey = (workspaceId: string) => `workspace:${workspaceId}`;
/** The workspace id of a workspace channel key, or null for any other key. */
export const workspaceIdOfSubscriptionKey = (key: string): string | null =>
  key.startsWith('workspace:') ? key.slice('workspace:'.length) : null;

export interface WorkspaceChannelDependencies {
  /** Who follows which workspace: shared by every process (Redis on AWS). */
  registry: ConnectionRegistry;
  deliver: Deliver;
  membershipOf: (workspaceId: string, userId: string) => Promise<MembershipRecord | null>;
  /** The app's current record in that workspace (null when it is gone). */
  appOf: (workspaceId: string, appId: string) => Promise<AppRecord | null>;
  /** The domain rule: may this member hear of this change (`mayReceiveWorkspaceChange`). */
  mayReceive: (change: WorkspaceChange, app: AppRecord | null, membership: MembershipRecord) => Promise<boolean>;
  /** The open connections of a person. */
  connectionsOf: (userId: string) => Promise<string[]>;
  log?: (message: string) => void;
}

const revokedReason = 'You are no longer a member of this workspace, so its live updates have ended.';

/**
 * The workspace event channel of the live console. A member's console subscribes once per
 * workspace; every change (from the governance services, membership changes and new versions)
 * is authorized for each subscriber at the moment it is sent, with the same rules as reading the
 * thing that changed, and carries only its kind and ids. A subscriber who is no longer a member
 * is revoked (`subscription.revoked`), at once when the removal happens and again, should a
 * record have been missed, at the next event.
 */
export class WorkspaceChannel {
  private readonly lock = new KeyedLock();

  constructor(private readonly deps: WorkspaceChannelDependencies) {}

  /** Registers the connection and answers `workspace.subscribed`; the caller has checked membership. */
  async subscribe(connectionId: string, userId: string, workspaceId: string, requestId?: string): Promise<void> {
    await this.lock.run(workspaceId, async () => {
      await this.deps.registry.add({
        connectionId,
        key: workspaceSubscriptionKey(workspaceId),
        userId,
        subscribedAt: new Date().toISOString(),
      });
      await this.send(connectionId, { type: 'workspace.subscribed', workspaceId, ...(requestId ? { id: requestId } : {}) });
    });
  }

  async unsubscribe(connectionId: string, workspaceId: string): Promise<void> {
    await this.lock.run(workspaceId, () => this.deps.registry.remove(connectionId, workspaceSubscriptionKey(workspaceId)));
  }

  /** Pushes one change to every subscriber of its workspace who may hear of it. */
  async publish(change: WorkspaceChange): Promise<void> {
    const { workspaceId } = change;
    const event: WorkspaceEvent = {
      kind: change.kind,
      ...(change.appId ? { appId: change.appId } : {}),
      ...(change.targetId ? { targetId: change.targetId } : {}),
      at: change.at,
    };
    await this.lock.run(workspaceId, async () => {
      const key = workspaceSubscriptionKey(workspaceId);
      const app = change.appId ? await this.deps.appOf(workspaceId, change.appId) : null;
      const memberships = new Map<string, MembershipRecord | null>();
      for (const connectionId of await this.deps.registry.connectionsFor(key)) {
        const record = (await this.deps.registry.recordsFor(connectionId)).find((candidate) => candidate.key === key);
        if (!record) continue;
        if (!memberships.has(record.userId)) memberships.set(record.userId, await this.deps.membershipOf(workspaceId, record.userId));
        const membership = memberships.get(record.userId) ?? null;
        if (!membership) {
          await this.revokeLocked(connectionId, workspaceId);
          continue;
        }
        if (await this.deps.mayReceive(change, app, membership))
          await this.send(connectionId, { type: 'workspace.event', workspaceId, event });
      }
    });
  }

  /**
   * The domain event handler: a removed member's channels end before anyone hears of the
   * removal; membership and role changes then go to the workspace like any other change.
   */
  async onDomainEvent(event: DomainEvent, at: string): Promise<void> {
    switch (event.type) {
      case 'member.removed': {
        await this.lock.run(event.workspaceId, async () => {
          const key = workspaceSubscriptionKey(event.workspaceId);
          for (const connectionId of await this.deps.connectionsOf(event.userId)) {
            if ((await this.deps.registry.keysFor(connectionId)).includes(key)) await this.revokeLocked(connectionId, event.workspaceId);
          }
        });
        return this.publish({ workspaceId: event.workspaceId, kind: 'member.removed', targetId: event.userId, at });
      }
      case 'member.added':
      case 'member.role_changed':
        return this.publish({ workspaceId: event.workspaceId, kind: event.type, targetId: event.userId, at });
      case 'app.access_changed':
        // Its governance change is published to the channel on its own.
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  /** Ends a workspace channel (the workspace is locked): nothing more is pushed, then the client is told. */
  private async revokeLocked(connectionId: string, workspaceId: string): Promise<void> {
    await this.deps.registry.remove(connectionId, workspaceSubscriptionKey(workspaceId));
    await this.send(connectionId, {
      type: 'subscription.revoked',
      subscription: { kind: 'workspace', workspaceId },
      reason: revokedReason,
    });
  }

  /** False when the connection is gone or was closed; its subscriptions are then dropped. */
  private async send(connectionId: string, message: ServerMessage): Promise<boolean> {
    if ((await this.deps.deliver(connectionId, message)) === 'sent') return true;
    await this.deps.registry
      .removeConnection(connectionId)
      .catch((error: unknown) => this.deps.log?.(`registry: ${error instanceof Error ? error.message : String(error)}`));
    return false;
  }
}
