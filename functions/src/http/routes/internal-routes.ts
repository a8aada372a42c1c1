import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PlanCard, RunEventBody, Usage, VersionFile } from '@hangar/protocol';
import { z } from 'zod';
import { toVersion } from '../../domain/builder-mappers';
import { NotFoundError, PayloadTooLargeError, UnauthenticatedError } from '../../domain/errors';
import { snapshotLimits } from '../../domain/run-worker-service';
import { sha256Pattern } from '../../ports/blob-store';
import type { AppDependencies, AppEnv } from '../app-env';
import { pathId, readJson } from '../validation';

const StartedBody = z.strictObject({ workerId: z.string().max(100), provider: z.string().max(100), model: z.string().max(200) });
const EventsBody = z.strictObject({ events: z.array(RunEventBody).min(1).max(200) });
const PlanBody = z.strictObject({ plan: PlanCard });
const VersionBody = z.strictObject({ files: z.array(VersionFile).min(1).max(snapshotLimits.maxFiles) });
const MissingBody = z.strictObject({ sha256: z.array(z.string().regex(sha256Pattern)).max(snapshotLimits.maxFiles) });
const RenameBody = z.strictObject({ name: z.string().trim().min(1).max(60) });
const FinishBody = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('succeeded'), summary: z.string().max(4000), usage: Usage }),
  z.strictObject({ status: z.literal('failed'), reason: z.string().max(4000), usage: Usage }),
]);

/**
 * The internal API workers call with a run-scoped bearer token. It is the worker's only way to
 * the control plane: the worker never touches the database.
 */
export function internalRoutes(deps: AppDependencies) {
  const builder = () => {
    if (!deps.builder) throw new NotFoundError();
    return deps.builder;
  };
  const runOf = (c: Context<AppEnv>): string => {
    const runId = pathId(c, 'r', 'Run');
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const capability = builder().tokens.verify(token, 'run');
    if (!capability || capability.runId !== runId) throw new UnauthenticatedError('A valid run token for this run is required.');
    return runId;
  };

  return new Hono<AppEnv>()
    .use(
      '*',
      bodyLimit({
        maxSize: snapshotLimits.maxFileBytes + 1024,
        onError: () => {
          throw new PayloadTooLargeError(snapshotLimits.maxFileBytes);
        },
      }),
    )
    .get('/runs/:r/context', async (c) => {
      const context = await builder().worker.context(runOf(c));
      return c.json({
        runId: context.run._id,
        appId: context.app._id,
        appName: context.app.name,
        prompt: context.run.prompt,
        status: context.run.status,
        history: context.history,
        latestVersion: context.latestVersion ? { ...toVersion(context.latestVersion), files: context.latestVersion.files } : null,
      });
    })
    .get('/runs/:r/status', async (c) => c.json(await builder().worker.heartbeat(runOf(c))))
    .post('/runs/:r/started', async (c) => {
      const runId = runOf(c);
      await builder().worker.started(runId, await readJson(c, StartedBody));
      return c.body(null, 204);
    })
    .post('/runs/:r/heartbeat', async (c) => c.json(await builder().worker.heartbeat(runOf(c))))
    .post('/runs/:r/events', async (c) => {
      const runId = runOf(c);
      const { events } = await readJson(c, EventsBody);
      const stored = await builder().worker.appendEvents(runId, events);
      return c.json({ ids: stored.map((event) => event.id) });
    })
    .get('/runs/:r/events', async (c) => {
      const runId = runOf(c);
      const after = c.req.query('after');
      return c.json({ items: await builder().worker.readEvents(runId, after) });
    })
    .post('/runs/:r/plan', async (c) => {
      const runId = runOf(c);
      await builder().worker.proposePlan(runId, (await readJson(c, PlanBody)).plan);
      return c.body(null, 204);
    })
    .post('/runs/:r/rename', async (c) => {
      const runId = runOf(c);
      await builder().worker.renameApp(runId, (await readJson(c, RenameBody)).name);
      return c.body(null, 204);
    })
    .post('/runs/:r/missing-blobs', async (c) => {
      runOf(c);
      const { sha256 } = await readJson(c, MissingBody);
      const missing: string[] = [];
      for (const key of sha256) if (!(await builder().blobs.has(key))) missing.push(key);
      return c.json({ missing });
    })
    .put('/runs/:r/blobs', async (c) => {
      runOf(c);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > snapshotLimits.maxFileBytes) throw new PayloadTooLargeError(snapshotLimits.maxFileBytes);
      return c.json({ sha256: await builder().blobs.put(bytes) });
    })
    .get('/runs/:r/blobs/:sha', async (c) => {
      runOf(c);
      const key = c.req.param('sha');
      const bytes = sha256Pattern.test(key) ? await builder().blobs.get(key) : null;
      if (!bytes) throw new NotFoundError('Blob not found.');
      return c.body(bytes.buffer as ArrayBuffer, 200, { 'content-type': 'application/octet-stream' });
    })
    .post('/runs/:r/versions', async (c) => {
      const runId = runOf(c);
      const { files } = await readJson(c, VersionBody);
      return c.json(toVersion(await builder().worker.recordVersion(runId, files)), 201);
    })
    .post('/runs/:r/finish', async (c) => {
      const runId = runOf(c);
      await builder().worker.finish(runId, await readJson(c, FinishBody));
      return c.body(null, 204);
    });
}
