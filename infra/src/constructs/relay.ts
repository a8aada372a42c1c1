import { CustomResource, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IDependable } from 'constructs';
import { acknowledge } from '../nag';
import type { FunctionFactory } from './builder';
import type { HangarFunction } from './hangar-function';

export type RelayProps = {
  makeFunction: FunctionFactory;
  databaseName: string;
  queueKey: kms.IKey;
} & (
  | { mode: 'documentdb'; clusterArn: string; secret: secretsmanager.ISecret; cluster: IDependable }
  | { mode: 'atlas'; eventSourceName: string }
);

/** Changes per relay invocation: small batches keep each push round short and in order. */
export const relayBatchSize = 100;

/**
 * The live-data relay: DocumentDB change stream → event source mapping → relay Lambda
 * (sequential, in order, retried whole until it succeeds), or for Atlas: Atlas Triggers →
 * the partner event bus → a rule → the Atlas relay Lambda (async, retried, then a DLQ).
 */
export class Relay extends Construct {
  readonly relay: HangarFunction;
  readonly mapping: lambda.CfnEventSourceMapping | null = null;
  readonly rule: events.Rule | null = null;
  readonly deadLetterQueue: sqs.Queue | null = null;
  /** DocumentDB: the deploy-time step that enables change streams on the database. */
  readonly changeStreams: CustomResource | null = null;

  constructor(scope: Construct, id: string, props: RelayProps) {
    super(scope, id);
    if (props.mode === 'documentdb') {
      this.relay = props.makeFunction('DocumentDbRelay', {
        entry: 'data-relay.lambda.ts',
        description: 'Hangar: DocumentDB change stream → live-data pushes',
        timeout: Duration.minutes(2),
        memorySize: 1024,
      });
      const fn = this.relay.fn;
      this.mapping = new lambda.CfnEventSourceMapping(this, 'ChangeStream', {
        functionName: fn.functionName,
        eventSourceArn: props.clusterArn,
        startingPosition: 'LATEST',
        batchSize: relayBatchSize,
        maximumBatchingWindowInSeconds: 1,
        documentDbEventSourceConfig: { databaseName: props.databaseName, fullDocument: 'UpdateLookup' },
        sourceAccessConfigurations: [{ type: 'BASIC_AUTH', uri: props.secret.secretArn }],
      });
      // What the event source mapping itself needs: read the cluster, its credentials, and
      // open network interfaces in the cluster's VPC (the function's role is the mapping's role).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['rds:DescribeDBClusters', 'rds:DescribeDBClusterParameters', 'rds:DescribeDBSubnetGroups'],
          resources: ['*'],
        }),
      );
      props.secret.grantRead(fn);
      acknowledge(fn, [
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'The DocumentDB event source mapping calls rds:DescribeDBClusters/Parameters/SubnetGroups, which Lambda requires on Resource * (RDS describe calls have no resource-level scoping for this use); ENI actions come from the VPC execution policy.',
        },
      ]);
      this.mapping.node.addDependency(fn.role as iam.IRole);

      // Change streams are enabled per database with an admin command, not a parameter: a
      // custom resource runs it once the cluster's instances exist, before the mapping reads.
      const enabler = props.makeFunction('ChangeStreamsEnabler', {
        entry: 'documentdb-change-streams.lambda.ts',
        description: 'Hangar: enables DocumentDB change streams on the Hangar database (deploy time)',
        timeout: Duration.minutes(2),
        memorySize: 512,
      });
      props.secret.grantRead(enabler.fn);
      this.changeStreams = new CustomResource(this, 'ChangeStreams', {
        serviceToken: enabler.fn.functionArn,
        resourceType: 'Custom::DocumentDbChangeStreams',
        properties: { DatabaseName: props.databaseName },
      });
      this.changeStreams.node.addDependency(props.cluster);
      this.mapping.node.addDependency(this.changeStreams);
      return;
    }

    this.relay = props.makeFunction('AtlasRelay', {
      entry: 'atlas-relay.lambda.ts',
      description: 'Hangar: Atlas Trigger events (EventBridge) → live-data pushes',
      timeout: Duration.minutes(1),
      memorySize: 1024,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'AtlasRelayDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the Atlas relay rule target; an alarm on its depth pages the operator.',
      },
    ]);
    const bus = events.EventBus.fromEventBusName(this, 'PartnerBus', props.eventSourceName);
    const partnerBus = new events.CfnEventBus(this, 'PartnerEventBus', {
      name: props.eventSourceName,
      eventSourceName: props.eventSourceName,
    });
    this.rule = new events.Rule(this, 'AtlasChanges', {
      eventBus: bus,
      description: 'Hangar: Atlas Trigger change events of the Hangar database',
      eventPattern: {
        source: [{ prefix: 'aws.partner/mongodb.com' }] as unknown as string[],
        detail: { ns: { db: [props.databaseName] } },
      },
      targets: [
        new targets.LambdaFunction(this.relay.fn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
    this.rule.node.addDependency(partnerBus);
  }
}
