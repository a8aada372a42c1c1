import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';
import type { RunLaunchClaims } from './run-launch-claims';

/** The run request on the queue: exactly the RunSpec, validated on both ends. */
export const RunRequestMessage = z
  .object({
    runId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    appId: z.string().min(1).max(64),
    workspaceId: z.string().min(1).max(64),
    controlPlaneUrl: z.string().url().max(512),
    runToken: z.string().min(16).max(2048),
    /** The RunSpec's hint; a Fargate task prepares its own workspace either way. */
    newApp: z.boolean().optional(),
  })
  .strict();

export interface SqsRunLauncherOptions {
  sqs: SQSClient;
  queueUrl: string;
  ecs: ECSClient;
  cluster: string;
  claims: RunLaunchClaims;
}

/**
 * RunLauncher for AWS: `launch` puts a run request on the SQS queue (the launcher Lambda turns
 * it into a Fargate task); `stop` cancels the claim so a pending request is skipped, and stops
 * the task if one was started. Both idempotent.
 */
export function createSqsRunLauncher(options: SqsRunLauncherOptions): RunLauncher {
  return {
    kind: 'sqs-ecs',
    async launch(spec: RunSpec) {
      const body = RunRequestMessage.parse(spec);
      await options.sqs.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: JSON.stringify(body),
          MessageAttributes: { runId: { DataType: 'String', StringValue: spec.runId } },
        }),
      );
    },
    async stop(runId: string) {
      const taskArn = await options.claims.cancel(runId);
      if (!taskArn) return;
      await options.ecs.send(new StopTaskCommand({ cluster: options.cluster, task: taskArn, reason: `Hangar stopped run ${runId}` }));
    },
  };
}
