import { Hono } from 'hono';
import { AuditQuery } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readQuery } from '../validation';

export function auditRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>().get('/:w/audit-events', async (c) => {
    const actor = requireActor(c);
    const workspaceId = pathId(c, 'w', 'Workspace');
    const query = readQuery(c, AuditQuery);
    await deps.services.access.require(workspaceId, actor, 'audit.read');
    return c.json(await deps.services.audit.list(workspaceId, query));
  });
}
