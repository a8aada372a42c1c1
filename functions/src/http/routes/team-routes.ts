import { Hono } from 'hono';
import { AddTeamMemberBody, CreateTeamBody, UpdateTeamBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';
import { governanceOf } from './governance-dependencies';

/** Teams and their members. */
export function teamRoutes(deps: AppDependencies) {
  const teams = () => governanceOf(deps).governance.teams;
  const ids = (c: Parameters<typeof pathId>[0]) => [pathId(c, 'w', 'Workspace'), pathId(c, 't', 'Team')] as const;
  return new Hono<AppEnv>()
    .get('/:w/teams', async (c) => c.json({ items: await teams().list(requireActor(c), pathId(c, 'w', 'Workspace')), nextCursor: null }))
    .post('/:w/teams', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const body = await readJson(c, CreateTeamBody);
      return c.json(await teams().create(actor, workspaceId, body), 201);
    })
    .patch('/:w/teams/:t', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, teamId] = ids(c);
      const body = await readJson(c, UpdateTeamBody);
      return c.json(await teams().rename(actor, workspaceId, teamId, body.name));
    })
    .delete('/:w/teams/:t', async (c) => {
      await teams().remove(requireActor(c), ...ids(c));
      return c.body(null, 204);
    })
    .post('/:w/teams/:t/members', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, teamId] = ids(c);
      const body = await readJson(c, AddTeamMemberBody);
      return c.json(await teams().addMember(actor, workspaceId, teamId, body.userId), 201);
    })
    .delete('/:w/teams/:t/members/:u', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, teamId] = ids(c);
      return c.json(await teams().removeMember(actor, workspaceId, teamId, pathId(c, 'u', 'Member')));
    });
}
