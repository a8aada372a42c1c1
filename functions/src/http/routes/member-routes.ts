import { Hono } from 'hono';
import { ChangeRoleBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';

export function memberRoutes(deps: AppDependencies) {
  const { memberships } = deps.services;
  return new Hono<AppEnv>()
    .get('/:w/members', async (c) =>
      c.json({ items: await memberships.list(requireActor(c), pathId(c, 'w', 'Workspace')), nextCursor: null }),
    )
    .patch('/:w/members/:userId', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const userId = pathId(c, 'userId', 'Member');
      const body = await readJson(c, ChangeRoleBody);
      return c.json(await memberships.changeRole(actor, workspaceId, userId, body.role));
    })
    .delete('/:w/members/:userId', async (c) => {
      await memberships.remove(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'userId', 'Member'));
      return c.body(null, 204);
    });
}
