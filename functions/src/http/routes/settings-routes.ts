import { Hono } from 'hono';
import { UpdateWorkspaceSettingsBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';
import { governanceOf } from './governance-dependencies';

/** Workspace settings: audit retention and the published apps' frame. */
export function settingsRoutes(deps: AppDependencies) {
  const settings = () => governanceOf(deps).governance.settings;
  return new Hono<AppEnv>()
    .get('/:w/settings', async (c) => c.json(await settings().get(requireActor(c), pathId(c, 'w', 'Workspace'))))
    .patch('/:w/settings', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const body = await readJson(c, UpdateWorkspaceSettingsBody);
      return c.json(await settings().update(actor, workspaceId, body));
    });
}
