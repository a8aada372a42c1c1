import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { environmentVariables as env, runStartAllowanceMs } from '@hangar/protocol';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, arnFinding, logicalIdOf } from '../nag';
import { repoRoot } from '../paths';
import type { HangarFunction, HangarFunctionProps } from './hangar-function';

/** Builds a control-plane Lambda with the stack's shared environment, VPC and grants. */
export type FunctionFactory = (id: string, props: Omit<HangarFunctionProps, 'logRetention'>) => HangarFunction;

export interface BuilderProps {
  vpc: ec2.IVpc;
  workerSecurityGroup: ec2.ISecurityGroup;
  queueKey: kms.IKey;
  makeFunction: FunctionFactory;
  /** Non-secret settings every worker starts with (model gateway URL, provider, model). */
  workerEnvironment: Record<string, string>;
  cpu: number;
  memoryMiB: number;
  ephemeralGiB: number;
  warmPoolSize: number;
  /** Seconds the sweeper gives a queued run to start (HANGAR_RUN_START_ALLOWANCE_SECONDS). */
  runStartAllowanceSeconds: number;
  logRetention: logs.RetentionDays;
}

/** The worker container's name in the task definition (HANGAR_WORKER_CONTAINER_NAME). */
export const workerContainerName = 'worker';
/** Deliveries of a run request before it moves to the dead-letter queue. */
export const runRequestMaxReceives = 5;

/**
 * The builder: run requests go to an SQS queue; the launcher Lambda claims each run once and
 * starts one Fargate task per run (RunTask on exactly this task definition); failures retry and
 * end in a dead-letter queue. A scheduled sweeper fails runs whose worker stopped heartbeating.
 */
export class Builder extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly launcher: HangarFunction;
  readonly sweeper: HangarFunction;
  readonly sweepSchedule: events.Rule;
  /** Settings the control plane needs to launch and stop workers. */
  readonly launchEnvironment: Record<string, string>;
  private readonly queueKey: kms.IKey;

  constructor(scope: Construct, id: string, props: BuilderProps) {
    super(scope, id);
    this.queueKey = props.queueKey;
    this.deadLetterQueue = new sqs.Queue(this, 'RunRequestsDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the run-request queue; an alarm on its depth pages the operator.',
      },
    ]);
    // The visibility timeout exceeds six launcher timeouts, as Lambda's SQS guide asks, so a
    // message is never redelivered while a launcher still works on it.
    this.queue = new sqs.Queue(this, 'RunRequests', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      retentionPeriod: Duration.hours(6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: runRequestMaxReceives },
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });

    // The task role gets no AWS permissions: a worker talks only to the control plane's
    // internal API (run token) and the model gateway; it never holds model credentials.
    const taskRole = new iam.Role(this, 'WorkerTaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Hangar builder worker: no AWS permissions by design',
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'WorkerTask', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      ephemeralStorageGiB: props.ephemeralGiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      taskRole,
    });
    const workerLogs = new logs.LogGroup(this, 'WorkerLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.taskDefinition.addContainer(workerContainerName, {
      image: ecs.ContainerImage.fromAsset(repoRoot, { file: 'worker-container/Dockerfile', platform: Platform.LINUX_ARM64 }),
      // The worker starts as root only to run each build step as the build uid (10001, see
      // decision 0008) and to manage the folders that uid writes: every other capability is
      // dropped, so root here cannot mount, trace, use raw sockets or load anything.
      user: '0:0',
      linuxParameters: workerLinuxParameters(this),
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'run', logGroup: workerLogs }),
      environment: props.workerEnvironment,
      stopTimeout: Duration.seconds(30),
    });
    acknowledge(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'The container environment holds only non-secret settings (model gateway URL, provider, model name); the run token arrives per task as a RunTask override and expires with the run.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The ECS execution role needs ecr:GetAuthorizationToken, which AWS only grants on Resource *; image pulls themselves are scoped to the asset repository.',
      },
    ]);

    const subnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    this.launchEnvironment = {
      [env.runQueueUrl]: this.queue.queueUrl,
      [env.ecsClusterArn]: this.cluster.clusterArn,
      [env.workerTaskDefinitionArn]: this.taskDefinition.taskDefinitionArn,
      [env.workerContainerName]: workerContainerName,
      [env.workerSubnetIds]: subnets.join(','),
      [env.workerSecurityGroupIds]: props.workerSecurityGroup.securityGroupId,
    };

    this.launcher = props.makeFunction('Launcher', {
      entry: 'run-launcher.lambda.ts',
      description: 'Hangar: run requests (SQS) → one ECS Fargate task per run',
      timeout: Duration.seconds(60),
      memorySize: 512,
      environment: this.launchEnvironment,
    });
    this.launcher.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxBatchingWindow: Duration.seconds(0),
        maxConcurrency: 5,
      }),
    );
    this.grantRunTask(this.launcher.fn);

    this.sweeper = props.makeFunction('Sweeper', {
      entry: 'run-sweeper.lambda.ts',
      description: 'Hangar: fails runs whose worker stopped heartbeating',
      timeout: Duration.seconds(60),
      memorySize: 512,
      reservedConcurrency: 1,
      environment: {
        ...this.launchEnvironment,
        // Checked with the reader the sweeper uses, so synthesis refuses what the runtime would.
        [env.runStartAllowanceSeconds]: String(
          runStartAllowanceMs({ [env.runStartAllowanceSeconds]: String(props.runStartAllowanceSeconds) }) / 1000,
        ),
      },
    });
    this.sweepSchedule = new events.Rule(this, 'SweepSchedule', {
      description: 'Hangar: sweep lost builder workers every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.sweeper.fn, { retryAttempts: 0 })],
    });
    this.grantStopTask(this.sweeper.fn);

    if (props.warmPoolSize > 0) {
      // Standby workers poll the run queue themselves and claim a run exactly like the
      // launcher does (the claim decides who runs it), so a run skips the Fargate start.
      const standby = new ecs.FargateService(this, 'WarmPool', {
        cluster: this.cluster,
        taskDefinition: this.taskDefinition,
        desiredCount: props.warmPoolSize,
        securityGroups: [props.workerSecurityGroup],
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        assignPublicIp: false,
        minHealthyPercent: 100,
      });
      this.queue.grantConsumeMessages(taskRole);
      standby.node.addMetadata('hangar:standby', 'HANGAR_WORKER_MODE=standby');
    }
  }

  /** RunTask on this task definition in this cluster only, passing only its two roles. */
  grantRunTask(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [this.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:TagResource'],
        resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` })],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
    );
    this.taskDefinition.taskRole.grantPassRole(grantee.grantPrincipal);
    this.taskDefinition.obtainExecutionRole().grantPassRole(grantee.grantPrincipal);
    this.acknowledgeClusterTasks(grantee);
  }

  /** StopTask and DescribeTasks on tasks of this cluster only. */
  grantStopTask(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
        resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` })],
        conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
      }),
    );
    this.acknowledgeClusterTasks(grantee);
  }

  private acknowledgeClusterTasks(grantee: iam.IGrantable): void {
    acknowledge(grantee as unknown as IConstruct, [
      {
        id: arnFinding('ecs', `task/<${logicalIdOf(this.cluster)}>/*`),
        reason:
          'Task ids are assigned by RunTask; the grant covers tasks of the Hangar cluster only (and the ecs:cluster condition repeats it).',
      },
    ]);
  }

  /** SendMessage to the run-request queue (the control plane's RunLauncher.launch). */
  grantLaunch(grantee: iam.IGrantable): void {
    // Explicit actions: grantSendMessages would add kms:ReEncrypt* and kms:GenerateDataKey*.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: [this.queue.queueArn] }),
    );
    this.queueKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.grantStopTask(grantee);
  }
}

/**
 * Capabilities the worker keeps: switching to the build uid (SETUID, SETGID), handing it its
 * output folders and cleaning them up (CHOWN, DAC_OVERRIDE, FOWNER), stopping it (KILL).
 */
export const workerKeptCapabilities = [
  ecs.Capability.SETUID,
  ecs.Capability.SETGID,
  ecs.Capability.CHOWN,
  ecs.Capability.DAC_OVERRIDE,
  ecs.Capability.FOWNER,
  ecs.Capability.KILL,
];

function workerLinuxParameters(scope: Construct): ecs.LinuxParameters {
  const parameters = new ecs.LinuxParameters(scope, 'WorkerLinuxParameters', { initProcessEnabled: true });
  parameters.dropCapabilities(
    ...Object.values(ecs.Capability).filter(
      (capability) => capability !== ecs.Capability.ALL && !workerKeptCapabilities.includes(capability),
    ),
  );
  return parameters;
}
