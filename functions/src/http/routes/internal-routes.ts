import { runOfRequest } from '../run-token';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  AppendEventsRequest,
  HeartbeatRequest,
  internalLimits,
  MissingBlobsRequest,
  ProposePlanRequest,
  ReadEventsQuery,
  RecordVersionRequest,
  RenameAppRequest,
  RunOutcome,
  snapshotLimits,
  WorkerStartedRequest,
  type AppendEventsResponse,
  type HeartbeatResponse,
  type MissingBlobsResponse,
  type PutBlobResponse,
  type ReadEventsResponse,
  type RecordVersionResponse,
  type RunContextResponse,
} from '@hangar/protocol';
import { toVersion } from '../../domain/builder-mappers';
import { NotFoundError, PayloadTooLargeError } from '../../domain/errors';
import { sha256Pattern } from '../../ports/blob-store';
import type { AppDependencies, AppEnv } from '../app-env';
import { readJson, readQuery } from '../validation';

/**
 * The internal API workers call with a run-scoped bearer token. It is the worker's only way to
 * the control plane: the worker never touches the database. Request and response schemas live in
 * protocol/src/internal.ts; the worker parses every answer with them.
 */
export function internalRoutes(deps: AppDependencies) {
  const builder = () => {
    if (!deps.builder) throw new NotFoundError();
    return deps.builder;
  };
  const runOf = (c: Context<AppEnv>): string => runOfRequest(c, builder().tokens);

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
      const latest = context.latestVersion;
      return c.json({
        runId: context.run._id,
        appId: context.app._id,
        appName: context.app.name,
        prompt: context.run.prompt,
        status: context.run.status,
        history: context.history,
        latestVersion: latest ? { ...toVersion(latest), files: latest.files } : null,
        agentRun: context.run.kind === 'agent' && context.run.agent ? context.run.agent : null,
      } satisfies RunContextResponse);
    })
    .get('/runs/:r/status', async (c) => c.json((await builder().worker.heartbeat(runOf(c))) satisfies HeartbeatResponse))
    .post('/runs/:r/started', async (c) => {
      const runId = runOf(c);
      await builder().worker.started(runId, await readJson(c, WorkerStartedRequest));
      return c.body(null, 204);
    })
    .post('/runs/:r/heartbeat', async (c) => {
      const runId = runOf(c);
      await readJson(c, HeartbeatRequest, { emptyAs: {} });
      return c.json((await builder().worker.heartbeat(runId)) satisfies HeartbeatResponse);
    })
    .post(
      '/runs/:r/events',
      // Batches have their own, smaller cap: a worker splits a batch refused with 413.
      bodyLimit({
        maxSize: internalLimits.maxEventBatchBytes,
        onError: () => {
          throw new PayloadTooLargeError(internalLimits.maxEventBatchBytes);
        },
      }),
      async (c) => {
        const runId = runOf(c);
        const { events, first } = await readJson(c, AppendEventsRequest);
        const { stored, received } = await builder().worker.appendEvents(runId, events, first);
        return c.json({ ids: stored.map((event) => event.id), received } satisfies AppendEventsResponse);
      },
    )
    .get('/runs/:r/events', async (c) => {
      const runId = runOf(c);
      const { after, waitMs } = readQuery(c, ReadEventsQuery);
      return c.json({ items: await builder().worker.readEvents(runId, after, waitMs) } satisfies ReadEventsResponse);
    })
    .post('/runs/:r/plan', async (c) => {
      const runId = runOf(c);
      await builder().worker.proposePlan(runId, (await readJson(c, ProposePlanRequest)).plan);
      return c.body(null, 204);
    })
    .post('/runs/:r/rename', async (c) => {
      const runId = runOf(c);
      await builder().worker.renameApp(runId, (await readJson(c, RenameAppRequest)).name);
      return c.body(null, 204);
    })
    .post('/runs/:r/missing-blobs', async (c) => {
      runOf(c);
      const { sha256 } = await readJson(c, MissingBlobsRequest);
      const missing: string[] = [];
      for (const key of sha256) if (!(await builder().blobs.has(key))) missing.push(key);
      return c.json({ missing } satisfies MissingBlobsResponse);
    })
    .put('/runs/:r/blobs', async (c) => {
      runOf(c);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > snapshotLimits.maxFileBytes) throw new PayloadTooLargeError(snapshotLimits.maxFileBytes);
      return c.json({ sha256: await builder().blobs.put(bytes) } satisfies PutBlobResponse);
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
      const { files } = await readJson(c, RecordVersionRequest);
      return c.json(toVersion(await builder().worker.recordVersion(runId, files)) satisfies RecordVersionResponse, 201);
    })
    .post('/runs/:r/finish', async (c) => {
      const runId = runOf(c);
      await builder().worker.finish(runId, await readJson(c, RunOutcome));
      return c.body(null, 204);
    });
}
