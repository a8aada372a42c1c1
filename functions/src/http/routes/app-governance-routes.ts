import { Hono } from 'hono';
import { PublishBody, RenameAppBody, SetCollaboratorsBody, SetVisibilityBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';
import { governanceOf } from './governance-dependencies';

/** Publish, unpublish, rename, delete; collaborators and team visibility of one app. */
export function appGovernanceRoutes(deps: AppDependencies) {
  const governance = () => governanceOf(deps).governance;
  const ids = (c: Parameters<typeof pathId>[0]) => [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')] as const;
  return new Hono<AppEnv>()
    .post('/:w/apps/:a/publish', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = ids(c);
      const body = await readJson(c, PublishBody);
      return c.json(await governance().publishing.publish(actor, workspaceId, appId, body.versionId));
    })
    .post('/:w/apps/:a/unpublish', async (c) => c.json(await governance().publishing.unpublish(requireActor(c), ...ids(c))))
    .patch('/:w/apps/:a', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = ids(c);
      const body = await readJson(c, RenameAppBody);
      return c.json(await governance().apps.rename(actor, workspaceId, appId, body.name));
    })
    .delete('/:w/apps/:a', async (c) => {
      await governance().apps.remove(requireActor(c), ...ids(c));
      return c.body(null, 204);
    })
    .get('/:w/apps/:a/collaborators', async (c) =>
      c.json({ items: await governance().collaborators.list(requireActor(c), ...ids(c)), nextCursor: null }),
    )
    .put('/:w/apps/:a/collaborators', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = ids(c);
      const body = await readJson(c, SetCollaboratorsBody);
      return c.json({ items: await governance().collaborators.set(actor, workspaceId, appId, body.userIds), nextCursor: null });
    })
    .put('/:w/apps/:a/visibility', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = ids(c);
      const body = await readJson(c, SetVisibilityBody);
      return c.json(await governance().collaborators.setVisibility(actor, workspaceId, appId, body.teamIds));
    });
}
