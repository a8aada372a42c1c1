import type { DataScope } from '@hangar/protocol';
import type { ConnectionRegistry } from '../ports/connection-registry';
import type { DomainEvent } from '../ports/domain-events';
import { runIdOfSubscriptionKey } from './run-streams';

/** An app data subscription key, `appId:scope:collection`, taken apart (null for other keys). */
export function parseDataSubscriptionKey(key: string): { appId: string; scope: DataScope; collection: string } | null {
  const match = /^([^:]+):(draft|published):(.+)$/.exec(key);
  if (!match?.[1] || !match[3]) return null;
  return { appId: match[1], scope: match[2] as DataScope, collection: match[3] };
}

export interface SubscriptionRevalidatorDependencies {
  registry: ConnectionRegistry;
  /** The open connections of a person. */
  connectionsOf: (userId: string) => Promise<string[]>;
  /** Every subscription key that concerns one app (its data scopes and its runs). */
  keysOfApp: (appId: string) => Promise<string[]>;
  mayReadData: (userId: string, appId: string, scope: DataScope) => Promise<boolean>;
  mayReadRun: (userId: string, runId: string) => Promise<boolean>;
  revokeData: (connectionId: string, key: { appId: string; scope: DataScope; collection: string }, reason: string) => Promise<void>;
  revokeRun: (connectionId: string, runId: string, reason: string) => Promise<void>;
}

const reason = 'Your access changed, so this live view has ended.';

/**
 * Rechecks open subscriptions when access changes: a member removed or a role changed rechecks
 * every subscription of that person's connections; an app's access change rechecks every
 * subscriber of that app. Subscriptions are found in the connection registry (Redis on AWS),
 * so the process handling the change revokes streams that other processes opened.
 */
export function createSubscriptionRevalidator(deps: SubscriptionRevalidatorDependencies) {
  async function recheck(connectionId: string, key: string, userId: string): Promise<void> {
    const runId = runIdOfSubscriptionKey(key);
    if (runId !== null) {
      if (!(await deps.mayReadRun(userId, runId))) await deps.revokeRun(connectionId, runId, reason);
      return;
    }
    const data = parseDataSubscriptionKey(key);
    if (data && !(await deps.mayReadData(userId, data.appId, data.scope))) await deps.revokeData(connectionId, data, reason);
  }

  async function recheckPerson(userId: string): Promise<void> {
    for (const connectionId of await deps.connectionsOf(userId)) {
      for (const record of await deps.registry.recordsFor(connectionId)) await recheck(connectionId, record.key, record.userId);
    }
  }

  async function recheckApp(appId: string): Promise<void> {
    for (const key of await deps.keysOfApp(appId)) {
      for (const connectionId of await deps.registry.connectionsFor(key)) {
        const record = (await deps.registry.recordsFor(connectionId)).find((candidate) => candidate.key === key);
        if (record) await recheck(connectionId, key, record.userId);
      }
    }
  }

  /** The domain event handler the composition subscribes. */
  return async (event: DomainEvent): Promise<void> => {
    switch (event.type) {
      case 'member.removed':
      case 'member.role_changed':
        return recheckPerson(event.userId);
      case 'app.access_changed':
        return recheckApp(event.appId);
      case 'member.added':
        // Access only grows: nothing to recheck.
        return;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  };
}
