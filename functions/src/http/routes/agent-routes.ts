import { Hono } from 'hono';
import { z } from 'zod';
import {
  AgentCatalogQuery,
  AgentId,
  ApproveAgentsBody,
  CallDecisionBody,
  SecretName,
  SetSecretBody,
  StartAgentRunBody,
  UpdateAgentsBody,
  ValidateAgentsBody,
} from '@hangar/protocol';
import type { AgentServices } from '../../domain/agents/agent-services';
import { NotFoundError } from '../../domain/errors';
import type { AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson, readQuery } from '../validation';

const AgentSettingsBody = z.strictObject({
  forbidSelfApproval: z.boolean(),
  maxConcurrentRuns: z.number().int().min(1).max(50),
  monthlySpendLimitUsd: z.number().min(0).max(100_000),
});

/** App agents: the configuration, its validation and approval, secrets, and workspace agent settings. */
export function agentRoutes(agents: AgentServices) {
  const ids = (c: Parameters<typeof pathId>[0]) => [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')] as const;
  const secretName = (c: Parameters<typeof pathId>[0]) => {
    const parsed = SecretName.safeParse(c.req.param('name'));
    if (!parsed.success) throw new NotFoundError('Secret not found.');
    return parsed.data;
  };
  return new Hono<AppEnv>()
    .get('/:w/apps/:a/agents', async (c) => c.json(await agents.config.get(requireActor(c), ...ids(c))))
    .get('/:w/apps/:a/agents/catalog', async (c) => {
      const { scope } = readQuery(c, AgentCatalogQuery);
      return c.json(await agents.runs.catalog(requireActor(c), ...ids(c), scope));
    })
    .put('/:w/apps/:a/agents', async (c) => {
      const { document } = await readJson(c, UpdateAgentsBody);
      return c.json(await agents.config.update(requireActor(c), ...ids(c), document));
    })
    .post('/:w/apps/:a/agents/validate', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = ids(c);
      const { document } = await readJson(c, ValidateAgentsBody);
      await agents.builder.app(actor, workspaceId, appId);
      return c.json(agents.config.validate(document));
    })
    .post('/:w/apps/:a/agents/approve', async (c) => {
      const { hash } = await readJson(c, ApproveAgentsBody);
      return c.json(await agents.config.approve(requireActor(c), ...ids(c), hash));
    })
    .get('/:w/apps/:a/agents/schedules', async (c) =>
      c.json({ items: await agents.schedules.list(requireActor(c), ...ids(c)), nextCursor: null }),
    )
    .post('/:w/apps/:a/agents/:agentId/runs', async (c) => {
      const agentId = AgentId.safeParse(c.req.param('agentId'));
      if (!agentId.success) throw new NotFoundError('No such agent in this app.');
      const { input, scope } = await readJson(c, StartAgentRunBody, { emptyAs: {} });
      return c.json(await agents.runs.start(requireActor(c), ...ids(c), agentId.data, input, scope ?? 'draft'), 201);
    })
    .get('/:w/apps/:a/agent-runs', async (c) => c.json({ items: await agents.runs.list(requireActor(c), ...ids(c)), nextCursor: null }))
    .get('/:w/apps/:a/call-approvals', async (c) =>
      c.json({ items: await agents.runs.listApprovals(requireActor(c), ...ids(c)), nextCursor: null }),
    )
    .post('/:w/call-approvals/:id/decision', async (c) => {
      const { decision } = await readJson(c, CallDecisionBody);
      return c.json(await agents.runs.decide(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'id', 'Approval'), decision));
    })
    .get('/:w/apps/:a/secrets', async (c) => c.json({ items: await agents.secrets.list(requireActor(c), ...ids(c)), nextCursor: null }))
    .put('/:w/apps/:a/secrets/:name', async (c) => {
      const name = secretName(c);
      const { value } = await readJson(c, SetSecretBody);
      return c.json(await agents.secrets.set(requireActor(c), ...ids(c), name, value));
    })
    .delete('/:w/apps/:a/secrets/:name', async (c) => {
      await agents.secrets.delete(requireActor(c), ...ids(c), secretName(c));
      return c.body(null, 204);
    })
    .get('/:w/agent-settings', async (c) => {
      const workspaceId = pathId(c, 'w', 'Workspace');
      await agents.access.require(workspaceId, requireActor(c), 'workspace.read');
      return c.json(await agents.settings.get(workspaceId));
    })
    .put('/:w/agent-settings', async (c) => {
      const workspaceId = pathId(c, 'w', 'Workspace');
      const actor = requireActor(c);
      await agents.access.require(workspaceId, actor, 'workspace.update');
      const settings = await agents.settings.set(workspaceId, await readJson(c, AgentSettingsBody));
      await agents.audit.record({
        workspaceId,
        actor: { type: 'user', id: actor.identity.id, email: actor.identity.email },
        source: actor.source,
        action: 'agents.settings_changed',
        target: { type: 'workspace', id: workspaceId },
        metadata: { ...settings },
      });
      return c.json(settings);
    });
}
