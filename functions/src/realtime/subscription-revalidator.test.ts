import { describe, expect, it } from 'vitest';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { subscriptionKey } from './data-relay';
import { runSubscriptionKey } from './run-streams';
import { createSubscriptionRevalidator, parseDataSubscriptionKey } from './subscription-revalidator';

const at = '2026-12-01T00:00:00.000Z';

async function setup(allowed: { data: Set<string>; runs: Set<string> }) {
  const registry = createMemoryConnectionRegistry();
  const revoked: string[] = [];
  const connections: Record<string, string[]> = { usr_ada: ['conn-ada-1', 'conn-ada-2'], usr_max: ['conn-max'] };
  const draftLeads = subscriptionKey({ appId: 'app_one', scope: 'draft', collection: 'leads' });
  const publishedLeads = subscriptionKey({ appId: 'app_one', scope: 'published', collection: 'leads' });
  const otherApp = subscriptionKey({ appId: 'app_two', scope: 'draft', collection: 'tasks' });
  for (const [connectionId, key, userId] of [
    ['conn-ada-1', draftLeads, 'usr_ada'],
    ['conn-ada-2', runSubscriptionKey('run_one'), 'usr_ada'],
    ['conn-ada-2', otherApp, 'usr_ada'],
    ['conn-max', publishedLeads, 'usr_max'],
    ['conn-max', runSubscriptionKey('run_one'), 'usr_max'],
  ] as const) {
    await registry.add({ connectionId, key, userId, subscribedAt: at });
  }
  const revalidate = createSubscriptionRevalidator({
    registry,
    connectionsOf: (userId) => Promise.resolve(connections[userId] ?? []),
    keysOfApp: (appId) => Promise.resolve(appId === 'app_one' ? [draftLeads, publishedLeads, runSubscriptionKey('run_one')] : [otherApp]),
    mayReadData: (userId, appId, scope) => Promise.resolve(allowed.data.has(`${userId} ${appId} ${scope}`)),
    mayReadRun: (userId, runId) => Promise.resolve(allowed.runs.has(`${userId} ${runId}`)),
    revokeData: (connectionId, key) => Promise.resolve(void revoked.push(`${connectionId} ${subscriptionKey(key)}`)),
    revokeRun: (connectionId, runId) => Promise.resolve(void revoked.push(`${connectionId} ${runSubscriptionKey(runId)}`)),
  });
  return { revalidate, revoked, draftLeads, publishedLeads, otherApp };
}

describe('subscription revalidation', () => {
  it('a role change rechecks every subscription of every connection of that person, and no one else', async () => {
    const { revalidate, revoked, draftLeads } = await setup({
      data: new Set(['usr_ada app_two draft', 'usr_max app_one published']),
      runs: new Set(['usr_ada run_one']),
    });
    await revalidate({ type: 'member.role_changed', workspaceId: 'wsp_1', userId: 'usr_ada', from: 'admin', to: 'member' });
    expect(revoked).toEqual([`conn-ada-1 ${draftLeads}`]);
  });

  it('an app access change rechecks every subscriber of that app only', async () => {
    const { revalidate, revoked, publishedLeads } = await setup({
      data: new Set(['usr_ada app_one draft']),
      runs: new Set(['usr_ada run_one']),
    });
    await revalidate({ type: 'app.access_changed', workspaceId: 'wsp_1', appId: 'app_one' });
    expect(revoked.sort()).toEqual([`conn-max ${publishedLeads}`, `conn-max ${runSubscriptionKey('run_one')}`]);
  });

  it('reads data keys back, collection names with colons included', () => {
    expect(parseDataSubscriptionKey('app_1:published:a:b')).toEqual({ appId: 'app_1', scope: 'published', collection: 'a:b' });
    expect(parseDataSubscriptionKey('run:run_1')).toBeNull();
    expect(parseDataSubscriptionKey('app_1:other:x')).toBeNull();
  });
});
