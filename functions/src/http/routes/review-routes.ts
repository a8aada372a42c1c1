import { Hono } from 'hono';
import { RequestReviewBody, ReviewDecisionBody, ReviewQuery } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson, readQuery } from '../validation';
import { governanceOf } from './governance-dependencies';

/** Review requests and decisions. */
export function reviewRoutes(deps: AppDependencies) {
  const reviews = () => governanceOf(deps).governance.reviews;
  return new Hono<AppEnv>()
    .post('/:w/apps/:a/reviews', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')];
      const body = await readJson(c, RequestReviewBody);
      return c.json(await reviews().request(actor, workspaceId, appId, body), 201);
    })
    .get('/:w/reviews', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const query = readQuery(c, ReviewQuery);
      return c.json({ items: await reviews().list(actor, workspaceId, query), nextCursor: null });
    })
    .get('/:w/reviews/:id', async (c) =>
      c.json(await reviews().get(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'id', 'Review'))),
    )
    .post('/:w/reviews/:id/decision', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, reviewId] = [pathId(c, 'w', 'Workspace'), pathId(c, 'id', 'Review')];
      const body = await readJson(c, ReviewDecisionBody);
      return c.json(await reviews().decide(actor, workspaceId, reviewId, body));
    });
}
