import { ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../ports/document-store';
import type { RunSpec } from '../ports/run-launcher';
import { createRunTaskLauncher, type EcsRunTaskConfig } from './ecs-run-task-launcher';
import { createRunLaunchClaims } from './run-launch-claims';
import { createSqliteDocumentStore } from './sqlite/sqlite-document-store';
import { createSqsRunLauncher } from './sqs-run-launcher';

const ecsMock = mockClient(ECSClient);
const sqsMock = mockClient(SQSClient);
const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const config: EcsRunTaskConfig = {
  cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/hangar',
  taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/worker:7',
  containerName: 'worker',
  subnets: ['subnet-a', 'subnet-b'],
  securityGroups: ['sg-worker'],
};
const spec = (runId: string): RunSpec => ({
  runId,
  appId: 'app_1',
  workspaceId: 'ws_1',
  controlPlaneUrl: 'https://api.example/',
  runToken: `token-${runId}-0123456789`,
});
const record = (messageId: string, body: string, receiveCount = 1): SQSRecord =>
  ({ messageId, body, attributes: { ApproximateReceiveCount: String(receiveCount) } }) as unknown as SQSRecord;
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const silent = { info: () => undefined, error: () => undefined };

let store: DocumentStore;
let active: Set<string>;
beforeEach(() => {
  store = createSqliteDocumentStore({ filename: ':memory:' });
  active = new Set(['run_1', 'run_2', 'run_3']);
});
afterEach(async () => {
  ecsMock.reset();
  sqsMock.reset();
  await store.close();
});

const launcherLambda = () =>
  createRunTaskLauncher({
    ecs: new ECSClient({ region: 'eu-west-1', credentials }),
    claims: createRunLaunchClaims(store),
    config,
    isRunActive: (runId) => Promise.resolve(active.has(runId)),
    log: silent,
  });
const taskArn = (runId: string) => `arn:aws:ecs:eu-west-1:111122223333:task/hangar/${runId}`;

describe('SQS + ECS run launcher', () => {
  it('launch puts exactly the run spec on the queue', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    const launcher = createSqsRunLauncher({
      sqs: new SQSClient({ region: 'eu-west-1', credentials }),
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/runs',
      ecs: new ECSClient({ region: 'eu-west-1', credentials }),
      cluster: config.cluster,
      claims: createRunLaunchClaims(store),
    });
    await launcher.launch(spec('run_1'));
    expect(sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/runs',
        MessageBody: JSON.stringify(spec('run_1')),
        MessageAttributes: { runId: { DataType: 'String', StringValue: 'run_1' } },
      },
    ]);
  });

  it('starts one Fargate task per run with the run environment, and skips a redelivery', async () => {
    ecsMock
      .on(RunTaskCommand)
      .callsFake((input: { clientToken: string }) => ({ tasks: [{ taskArn: taskArn(input.clientToken) }], failures: [] }));
    const handler = launcherLambda();
    expect(await handler(batch(record('m1', JSON.stringify(spec('run_1')))))).toEqual({ batchItemFailures: [] });
    expect(ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input)).toEqual([
      {
        cluster: config.cluster,
        taskDefinition: config.taskDefinition,
        launchType: 'FARGATE',
        count: 1,
        clientToken: 'run_1',
        startedBy: 'hangar-run_1',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-worker'], assignPublicIp: 'DISABLED' },
        },
        overrides: {
          containerOverrides: [
            {
              name: 'worker',
              environment: [
                { name: 'HANGAR_RUN_ID', value: 'run_1' },
                { name: 'HANGAR_RUN_TOKEN', value: 'token-run_1-0123456789' },
                { name: 'HANGAR_CONTROL_PLANE_URL', value: 'https://api.example/' },
              ],
            },
          ],
        },
        tags: [
          { key: 'hangar:run', value: 'run_1' },
          { key: 'hangar:workspace', value: 'ws_1' },
          { key: 'hangar:app', value: 'app_1' },
        ],
      },
    ]);
    expect(await createRunLaunchClaims(store).get('run_1')).toMatchObject({ state: 'started', taskArn: taskArn('run_1') });
    // SQS delivers at least once: the same request again starts nothing.
    expect(await handler(batch(record('m1-again', JSON.stringify(spec('run_1')), 2)))).toEqual({ batchItemFailures: [] });
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(1);
  });

  it('reports only the failed records, and retries them with the same client token', async () => {
    ecsMock
      .on(RunTaskCommand, { clientToken: 'run_2' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ tasks: [{ taskArn: taskArn('run_2') }] });
    ecsMock
      .on(RunTaskCommand, { clientToken: 'run_3' })
      .resolves({ tasks: [], failures: [{ reason: 'RESOURCE:ENI', detail: 'subnet full' }] });
    ecsMock.on(RunTaskCommand, { clientToken: 'run_1' }).resolves({ tasks: [{ taskArn: taskArn('run_1') }] });
    const handler = launcherLambda();
    const result = await handler(
      batch(
        record('m1', JSON.stringify(spec('run_1'))),
        record('m2', JSON.stringify(spec('run_2'))),
        record('m3', JSON.stringify(spec('run_3'))),
        record('m4', '{"runId":"x"}'),
        record('m5', 'not json'),
      ),
    );
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'm2' },
      { itemIdentifier: 'm3' },
      { itemIdentifier: 'm4' },
      { itemIdentifier: 'm5' },
    ]);
    // The retry of run_2 (claimed, never started) asks ECS again with the same idempotency token.
    expect(await handler(batch(record('m2', JSON.stringify(spec('run_2')), 2)))).toEqual({ batchItemFailures: [] });
    const run2Calls = ecsMock.commandCalls(RunTaskCommand).filter((call) => call.args[0].input.clientToken === 'run_2');
    expect(run2Calls).toHaveLength(2);
    expect(await createRunLaunchClaims(store).get('run_2')).toMatchObject({ state: 'started', attempts: 2 });
  });

  it('does not start a worker for a run that is no longer active', async () => {
    active.delete('run_1');
    const result = await launcherLambda()(batch(record('m1', JSON.stringify(spec('run_1')))));
    expect(result.batchItemFailures).toEqual([]);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(await createRunLaunchClaims(store).get('run_1')).toMatchObject({ state: 'cancelled' });
  });

  it('stop before the launch cancels the request; stop after it stops the task', async () => {
    ecsMock.on(RunTaskCommand).callsFake((input: { clientToken: string }) => ({ tasks: [{ taskArn: taskArn(input.clientToken) }] }));
    ecsMock.on(StopTaskCommand).resolves({});
    const launcher = createSqsRunLauncher({
      sqs: new SQSClient({ region: 'eu-west-1', credentials }),
      queueUrl: 'q',
      ecs: new ECSClient({ region: 'eu-west-1', credentials }),
      cluster: config.cluster,
      claims: createRunLaunchClaims(store),
    });
    await launcher.stop('run_1');
    const handler = launcherLambda();
    await handler(batch(record('m1', JSON.stringify(spec('run_1'))), record('m2', JSON.stringify(spec('run_2')))));
    expect(ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input.clientToken)).toEqual(['run_2']);
    expect(ecsMock.commandCalls(StopTaskCommand)).toHaveLength(0);
    await launcher.stop('run_2');
    await launcher.stop('run_2');
    expect(ecsMock.commandCalls(StopTaskCommand).map((call) => call.args[0].input)).toEqual([
      { cluster: config.cluster, task: taskArn('run_2'), reason: 'Hangar stopped run run_2' },
      { cluster: config.cluster, task: taskArn('run_2'), reason: 'Hangar stopped run run_2' },
    ]);
  });
});
