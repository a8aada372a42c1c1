import { Hono } from 'hono';
import { CreateInvitationBody } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson } from '../validation';

export function invitationRoutes(deps: AppDependencies) {
  const { invitations } = deps.services;
  return new Hono<AppEnv>()
    .get('/:w/invitations', async (c) =>
      c.json({ items: await invitations.list(requireActor(c), pathId(c, 'w', 'Workspace')), nextCursor: null }),
    )
    .post('/:w/invitations', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const body = await readJson(c, CreateInvitationBody);
      return c.json(await invitations.create(actor, workspaceId, body.email, body.role), 201);
    })
    .delete('/:w/invitations/:invitationId', async (c) => {
      await invitations.revoke(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'invitationId', 'Invitation'));
      return c.body(null, 204);
    });
}
