import { Hono } from 'hono';
import { CreateAppBody, PlanDecisionBody, SendMessageBody } from '@hangar/protocol';
import { z } from 'zod';
import { toRun } from '../../domain/builder-mappers';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readJson, readQuery } from '../validation';

const EventsQuery = z.strictObject({ after: z.string().max(64).optional() });

/** Apps and their runs: prompt, follow up, stop, retry, plan decisions, run events. */
export function appRoutes(deps: AppDependencies) {
  const builder = () => deps.builder.builder;
  return new Hono<AppEnv>()
    .get('/:w/apps', async (c) =>
      c.json({ items: await builder().listApps(requireActor(c), pathId(c, 'w', 'Workspace')), nextCursor: null }),
    )
    .post('/:w/apps', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const body = await readJson(c, CreateAppBody);
      return c.json(await builder().createApp(actor, workspaceId, body.prompt), 201);
    })
    .get('/:w/apps/:a', async (c) => c.json(await builder().getApp(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App'))))
    .post('/:w/apps/:a/messages', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')];
      const body = await readJson(c, SendMessageBody);
      return c.json(await builder().sendMessage(actor, workspaceId, appId, body.text), 201);
    })
    .get('/:w/apps/:a/runs', async (c) =>
      c.json({ items: await builder().listRuns(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')), nextCursor: null }),
    )
    .get('/:w/runs/:r', async (c) =>
      c.json(toRun(await builder().run(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'r', 'Run')))),
    )
    .get('/:w/runs/:r/events', async (c) => {
      const query = readQuery(c, EventsQuery);
      return c.json({
        items: await builder().runEvents(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'r', 'Run'), query.after),
        nextCursor: null,
      });
    })
    .post('/:w/runs/:r/stop', async (c) =>
      c.json(await builder().stop(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'r', 'Run'))),
    )
    .post('/:w/runs/:r/retry', async (c) =>
      c.json(await builder().retry(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'r', 'Run')), 201),
    )
    .post('/:w/runs/:r/plan', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, runId] = [pathId(c, 'w', 'Workspace'), pathId(c, 'r', 'Run')];
      const body = await readJson(c, PlanDecisionBody);
      return c.json(await builder().decidePlan(actor, workspaceId, runId, body.decision, body.note));
    });
}
