import { RunTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { environmentVariables as env } from '@hangar/protocol';
import type { RunLaunchClaims } from './run-launch-claims';
import { RunRequestMessage } from './sqs-run-launcher';

export interface EcsRunTaskConfig {
  cluster: string;
  taskDefinition: string;
  containerName: string;
  subnets: string[];
  securityGroups: string[];
}

export interface RunTaskLauncherDeps {
  ecs: ECSClient;
  claims: RunLaunchClaims;
  config: EcsRunTaskConfig;
  /** Whether the run still wants a worker (false once it was cancelled or failed). */
  isRunActive: (runId: string) => Promise<boolean>;
  log: {
    info: (message: string, extra?: Record<string, unknown>) => void;
    error: (message: string, extra?: Record<string, unknown>) => void;
  };
}

/** A launch attempt that should be retried through the queue (and end in the DLQ). */
export class LaunchFailedError extends Error {
  readonly code = 'launch_failed';
  readonly status = 503;
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'LaunchFailedError';
  }
}

/**
 * The launcher Lambda's work: for each run request, claim the run once, then start one
 * Fargate task with the run's id, token and control-plane URL. The run id is RunTask's client
 * token, so a retry after a crash gets the same task, not a second one. Failed records are
 * reported as partial batch failures: SQS redelivers only those, up to the DLQ.
 */
export function createRunTaskLauncher(deps: RunTaskLauncherDeps) {
  async function launchOne(record: SQSRecord): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(record.body);
    } catch {
      throw new LaunchFailedError('run request is not JSON');
    }
    const parsed = RunRequestMessage.safeParse(json);
    if (!parsed.success)
      throw new LaunchFailedError(`malformed run request: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
    const spec = parsed.data;

    const claim = await deps.claims.claim(spec.runId);
    if (claim.outcome === 'skip') {
      deps.log.info('run already handled', { runId: spec.runId, state: claim.record.state });
      return;
    }
    if (!(await deps.isRunActive(spec.runId))) {
      await deps.claims.cancel(spec.runId);
      deps.log.info('run no longer active; not launched', { runId: spec.runId });
      return;
    }
    const { config } = deps;
    const response = await deps.ecs.send(
      new RunTaskCommand({
        cluster: config.cluster,
        taskDefinition: config.taskDefinition,
        launchType: 'FARGATE',
        count: 1,
        clientToken: spec.runId,
        startedBy: `hangar-${spec.runId}`.slice(0, 128),
        networkConfiguration: {
          awsvpcConfiguration: { subnets: config.subnets, securityGroups: config.securityGroups, assignPublicIp: 'DISABLED' },
        },
        overrides: {
          containerOverrides: [
            {
              name: config.containerName,
              environment: [
                { name: env.runId, value: spec.runId },
                { name: env.runToken, value: spec.runToken },
                { name: env.controlPlaneUrl, value: spec.controlPlaneUrl },
              ],
            },
          ],
        },
        tags: [
          { key: 'hangar:run', value: spec.runId },
          { key: 'hangar:workspace', value: spec.workspaceId },
          { key: 'hangar:app', value: spec.appId },
        ],
      }),
    );
    const task = response.tasks?.[0];
    if (!task?.taskArn) {
      const reasons = (response.failures ?? []).map(
        (failure) => `${failure.reason ?? 'unknown'}${failure.detail ? ` (${failure.detail})` : ''}`,
      );
      throw new LaunchFailedError(`RunTask started no task: ${reasons.join('; ') || 'no reason given'}`);
    }
    if (!(await deps.claims.started(spec.runId, task.taskArn)))
      deps.log.info('run cancelled while its task started', { runId: spec.runId, taskArn: task.taskArn });
    deps.log.info('worker task started', { runId: spec.runId, taskArn: task.taskArn, attempt: claim.attempt });
  }

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await launchOne(record);
      } catch (error) {
        deps.log.error('run launch failed', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error instanceof Error ? error.message : String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** Reads the launcher's ECS settings from the environment the stack sets. */
export function ecsRunTaskConfigFromEnvironment(source: Record<string, string | undefined> = process.env): EcsRunTaskConfig {
  const value = (name: string) => {
    const found = source[name];
    if (!found) throw new Error(`${name} must be set for the run launcher`);
    return found;
  };
  const list = (name: string) =>
    value(name)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return {
    cluster: value(env.ecsClusterArn),
    taskDefinition: value(env.workerTaskDefinitionArn),
    containerName: value(env.workerContainerName),
    subnets: list(env.workerSubnetIds),
    securityGroups: list(env.workerSecurityGroupIds),
  };
}
