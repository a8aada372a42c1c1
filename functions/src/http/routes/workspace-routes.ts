import { Hono } from 'hono';
import { CreateWorkspaceBody, UpdateWorkspaceBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';

export function workspaceRoutes(deps: AppDependencies) {
  const { workspaces } = deps.services;
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ items: await workspaces.listMine(requireActor(c)), nextCursor: null }))
    .post('/', async (c) => {
      const actor = requireActor(c);
      const body = await readJson(c, CreateWorkspaceBody);
      return c.json(await workspaces.create(actor, body.name), 201);
    })
    .get('/:w', async (c) => c.json(await workspaces.get(requireActor(c), pathId(c, 'w', 'Workspace'))))
    .patch('/:w', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const body = await readJson(c, UpdateWorkspaceBody);
      return c.json(await workspaces.rename(actor, workspaceId, body.name));
    });
}
