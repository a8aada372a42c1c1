import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { environmentVariables as env } from '@hangar/protocol';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { bundleExternals, bundleTarget } from '../lambda-bundles';
import { lambdaEntry, repoRoot } from '../paths';

export interface HangarFunctionProps {
  /** File under functions/src/entrypoints, e.g. `http.lambda.ts`. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  vpc?: ec2.IVpc;
  securityGroups?: ec2.ISecurityGroup[];
  logRetention: logs.RetentionDays;
  reservedConcurrency?: number;
}

/**
 * A Lambda function built from one entry point: one esbuild bundle (AWS SDK v3 left to the
 * runtime), Node.js 24 on arm64, JSON logs into a log group with a retention period.
 */
export class HangarFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HangarFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: lambdaEntry(props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      ...(props.vpc
        ? { vpc: props.vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: props.securityGroups ?? [] }
        : {}),
      environment: {
        [env.serviceName]: `hangar-${props.entry.replace(/\.lambda\.ts$/, '')}`,
        [env.logLevel]: 'INFO',
        // Lambda's Node.js 20+ runtimes load the Amazon RDS CA bundle (DocumentDB TLS) only when asked.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: bundleTarget.target,
        minify: bundleTarget.minify,
        sourceMap: false,
        externalModules: bundleExternals,
        logLevel: LogLevel.WARNING,
      },
    });
  }
}
