import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRunTaskLauncher, ecsRunTaskConfigFromEnvironment } from '../adapters/ecs-run-task-launcher';
import { createRunLaunchClaims } from '../adapters/run-launch-claims';
import { isActive } from '../domain/run-lifecycle';
import { builderCollections, type RunRecord } from '../domain/records';
import { awsClients, awsDocumentStore } from './aws-runtime';
import { logger } from './lambda-logger';

let launcher: Promise<ReturnType<typeof createRunTaskLauncher>> | null = null;
const compose = () =>
  (launcher ??= awsDocumentStore().then((store) =>
    createRunTaskLauncher({
      ecs: awsClients.ecs,
      claims: createRunLaunchClaims(store),
      config: ecsRunTaskConfigFromEnvironment(),
      isRunActive: async (runId) => {
        const run = await store.collection<RunRecord>(builderCollections.runs).findOne({ _id: runId });
        return run !== null && isActive(run.status);
      },
      log: {
        info: (message, extra) => logger.info(message, extra ?? {}),
        error: (message, extra) => logger.error(message, extra ?? {}),
      },
    }),
  ));

/**
 * SQS run requests → ECS RunTask, one Fargate task per run. Partial batch failures: only the
 * failed requests come back, and after five receives they move to the dead-letter queue.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => (await compose())(event));
