import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface DataProps {
  vpc: ec2.IVpc;
  mode: 'documentdb' | 'atlas';
  /** Atlas: the secret (name or ARN) whose JSON holds `{ "uri": … }`. */
  atlasUriSecret?: string;
  instanceClass: string;
  instances: number;
  logRetention: logs.RetentionDays;
  retain: boolean;
}

/** DocumentDB's port, moved off the default 27017 so scanners of the default find nothing. */
export const documentDbPort = 27217;
/** Fixed so the exported log groups can be created (with retention) before the cluster. */
export const documentDbClusterName = 'hangar-docdb';

/**
 * The document store: a DocumentDB cluster (TLS required, change streams retained for 7 days,
 * credentials generated into Secrets Manager and rotated), or an existing Atlas cluster whose
 * connection string lives in a secret the operator created.
 */
export class Data extends Construct {
  /** The secret every Lambda reads at cold start (HANGAR_MONGODB_SECRET_ARN). */
  readonly secret: secretsmanager.ISecret;
  readonly cluster: docdb.DatabaseCluster | null;
  /** The cluster ARN, for the change-stream event source mapping (DocumentDB only). */
  readonly clusterArn: string | null;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    if (props.mode === 'atlas') {
      const name = props.atlasUriSecret ?? '';
      this.secret = name.startsWith('arn:')
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'AtlasUri', name)
        : secretsmanager.Secret.fromSecretNameV2(this, 'AtlasUri', name);
      this.cluster = null;
      this.clusterArn = null;
      return;
    }

    const key = new kms.Key(this, 'StorageKey', { enableKeyRotation: true, description: 'Hangar DocumentDB storage and credentials' });
    // TLS on, and change streams kept long enough for the relay's event source mapping to catch
    // up after an outage (the mapping resumes from its stored token).
    const parameterGroup = new docdb.ClusterParameterGroup(this, 'Parameters', {
      family: 'docdb5.0',
      description: 'Hangar: TLS required, change streams retained 7 days, audit logs on',
      parameters: {
        tls: 'enabled',
        change_stream_log_retention_duration: String(7 * 24 * 3600),
        audit_logs: 'enabled',
        profiler: 'enabled',
      },
    });
    const removalPolicy = props.retain ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
    this.cluster = new docdb.DatabaseCluster(this, 'Cluster', {
      masterUser: { username: 'hangar', kmsKey: key, excludeCharacters: '"@/:?#[]%\\' },
      engineVersion: '5.0.0',
      instanceType: new ec2.InstanceType(props.instanceClass.replace(/^db\./, '')),
      instances: props.instances,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      parameterGroup,
      port: documentDbPort,
      storageEncrypted: true,
      kmsKey: key,
      backup: { retention: Duration.days(7) },
      dbClusterName: documentDbClusterName,
      exportAuditLogsToCloudWatch: true,
      exportProfilerLogsToCloudWatch: true,
      deletionProtection: props.retain,
      removalPolicy,
    });
    // The exported logs' groups exist before the cluster, with a retention period (instead of
    // the log-retention helper Lambda the cluster construct would add).
    for (const type of ['audit', 'profiler']) {
      const group = new logs.LogGroup(this, `${type}Logs`, {
        logGroupName: `/aws/docdb/${documentDbClusterName}/${type}`,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      this.cluster.node.addDependency(group);
    }
    this.secret = this.cluster.secret as secretsmanager.ISecret;
    this.cluster.addRotationSingleUser(Duration.days(30));
    this.clusterArn = Arn.format(
      { service: 'rds', resource: 'cluster', resourceName: this.cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
      Stack.of(this),
    );
    acknowledge(this.cluster, [
      {
        id: 'AwsSolutions-DOC3',
        reason:
          'The master password is generated into Secrets Manager (DatabaseSecret, attached and rotated every 30 days); the rule cannot resolve the dynamic reference and throws.',
      },
      {
        id: 'AwsSolutions-DOC5[LogExport::authenticate]',
        reason:
          'DocumentDB exports only the `audit` and `profiler` log types; both are exported, and the audit_logs parameter records authentication events in the audit log.',
      },
      {
        id: 'AwsSolutions-DOC5[LogExport::createIndex]',
        reason:
          'DocumentDB exports only the `audit` and `profiler` log types; both are exported, and the audit log records DDL such as createIndex.',
      },
      {
        id: 'AwsSolutions-DOC5[LogExport::dropCollection]',
        reason:
          'DocumentDB exports only the `audit` and `profiler` log types; both are exported, and the audit log records DDL such as dropCollection.',
      },
    ]);
  }

  /** Lets a security group reach the cluster, and a role read its credentials. */
  allow(peer: ec2.IConnectable, reader: iam.IGrantable): void {
    if (this.cluster) this.cluster.connections.allowDefaultPortFrom(peer, 'Hangar Lambdas to DocumentDB');
    this.secret.grantRead(reader);
  }
}
