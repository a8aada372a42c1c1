import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { runStartAllowanceMs } from '@hangar/protocol';
import middy from '@middy/core';
import { createRedisRunEventLog } from '../adapters/redis-run-event-log';
import { RunLifecycle } from '../domain/run-lifecycle';
import { RunWorkerService } from '../domain/run-worker-service';
import { systemClock } from '../ports/clock';
import { sortableIdGenerator } from '../ports/id-generator';
import { awsBlobStore, awsDocumentStore, awsRedisUrl, awsRunLauncher } from './aws-runtime';
import { logger } from './lambda-logger';

async function composeSweeper() {
  const store = await awsDocumentStore();
  const events = createRedisRunEventLog({ url: await awsRedisUrl() });
  const lifecycle = new RunLifecycle(store, events, systemClock);
  const worker = new RunWorkerService(store, lifecycle, events, awsBlobStore(), sortableIdGenerator, systemClock);
  return { worker, launcher: awsRunLauncher(store), startAllowanceMs: runStartAllowanceMs(process.env) };
}
let composed: ReturnType<typeof composeSweeper> | null = null;

/**
 * Every minute (EventBridge rule): fails active runs whose worker stopped heartbeating (queued
 * runs get the start allowance first, the Fargate task may still be starting), then
 * stops their tasks in case a worker is alive but cut off (StopTask is idempotent).
 */
export const handler = middy<unknown, { failed: string[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const { worker, launcher, startAllowanceMs } = await (composed ??= composeSweeper());
    // Queued runs wait for their Fargate task to start (HANGAR_RUN_START_ALLOWANCE_SECONDS).
    const failed = await worker.sweepLostWorkers({ startAllowanceMs });
    for (const runId of failed) {
      logger.warn('run failed: worker stopped heartbeating', { runId });
      await launcher
        .stop(runId)
        .catch((error: unknown) => logger.error('could not stop the task of a lost run', { runId, error: String(error) }));
    }
    return { failed };
  });
