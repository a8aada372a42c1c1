import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { environmentVariables as env } from '@hangar/protocol';
import type { Construct } from 'constructs';
import { Builder, type FunctionFactory } from './constructs/builder';
import { Cache } from './constructs/cache';
import { Data } from './constructs/data';
import { HangarFunction } from './constructs/hangar-function';
import { HttpApi } from './constructs/http-api';
import { Identity, identityBrowserOrigins } from './constructs/identity';
import { ModelGateway } from './constructs/model-gateway';
import { Network } from './constructs/network';
import { Operations } from './constructs/operations';
import { Realtime } from './constructs/realtime';
import { Relay } from './constructs/relay';
import { Schedules } from './constructs/schedules';
import { Web } from './constructs/web';
import { acknowledge, logicalIdOf } from './nag';
import type { HangarParameters } from './parameters';
import { consoleDist, consoleDistExists, modelGatewayEntryExists } from './paths';

export interface HangarStackProps extends StackProps {
  parameters: HangarParameters;
  /**
   * The model gateway's entry file under functions/src/entrypoints; by default
   * model-gateway.lambda.ts when it exists (it is written separately), otherwise none.
   */
  modelGatewayEntry?: string | null;
  /** The built console to upload; by default web/dist when it was built, otherwise none. */
  consoleAssets?: string | null;
}

/** The whole of Hangar in one account and region: every construct, wired by environment variables. */
export class HangarStack extends Stack {
  readonly network: Network;
  readonly data: Data;
  readonly cache: Cache;
  readonly identity: Identity;
  readonly httpApi: HttpApi;
  readonly realtime: Realtime;
  readonly relay: Relay;
  readonly builder: Builder;
  readonly schedules: Schedules;
  readonly web: Web;
  readonly secretsKey: kms.Key;
  /** Signs run and preview capability tokens: one generated value for every control-plane Lambda. */
  readonly capabilitySecret: secretsmanager.Secret;
  readonly modelGateway: ModelGateway;
  readonly operations: Operations;
  readonly functions: Record<string, HangarFunction> = {};

  constructor(scope: Construct, id: string, props: HangarStackProps) {
    super(scope, id, props);
    const p = props.parameters;
    const logRetention = p.logRetentionDays as logs.RetentionDays;

    this.network = new Network(this, 'Network', { natGateways: p.natGateways, interfaceEndpoints: p.interfaceEndpoints, logRetention });
    const { vpc } = this.network;
    this.data = new Data(this, 'Data', {
      vpc,
      mode: p.database,
      ...(p.atlasUriSecret ? { atlasUriSecret: p.atlasUriSecret } : {}),
      instanceClass: p.documentDbInstanceClass,
      instances: p.documentDbInstances,
      logRetention,
      retain: p.retainData,
    });
    this.cache = new Cache(this, 'Cache', { vpc, mode: p.cache, nodeType: p.cacheNodeType });
    this.secretsKey = new kms.Key(this, 'AppSecretsKey', {
      enableKeyRotation: true,
      description: 'Hangar app secrets (envelope encryption of secrets apps and agents use)',
    });
    this.capabilitySecret = new secretsmanager.Secret(this, 'CapabilitySecret', {
      description: 'Hangar: signs run and preview capability tokens (the same value in every control-plane Lambda)',
      encryptionKey: this.secretsKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(this.capabilitySecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the capability secret invalidates every run token and preview URL at once (they are short-lived, at most hours); DEPLOY.md describes rotating it by hand during a quiet period. There is no Secrets Manager rotation template for an HMAC key.',
      },
    ]);
    const queueKey = new kms.Key(this, 'QueueKey', { enableKeyRotation: true, description: 'Hangar queues and the alarm topic' });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      queueKey.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }

    // Everything a control-plane Lambda reads at cold start; names come from protocol/. Filled in
    // as the constructs that own the values are created, and applied to every function at the end.
    const shared: Record<string, string> = {
      [env.authMode]: 'oidc',
      [env.mongodbSecretArn]: this.data.secret.secretArn,
      [env.mongodbDatabase]: p.databaseName,
      [env.redisUrl]: this.cache.url,
      [env.redisAuthSecretArn]: this.cache.authSecret.secretArn,
      [env.capabilitySecretArn]: this.capabilitySecret.secretArn,
    };
    const own = new Map<HangarFunction, Set<string>>();
    const makeFunction: FunctionFactory = (functionId, functionProps) => {
      const made = new HangarFunction(this, functionId, {
        ...functionProps,
        logRetention,
        vpc,
        securityGroups: [this.network.functionsSecurityGroup],
        ...(functionProps.environment ? { environment: functionProps.environment } : {}),
      });
      own.set(made, new Set(Object.keys(functionProps.environment ?? {})));
      this.data.allow(this.network.functionsSecurityGroup, made.fn);
      this.cache.allow(this.network.functionsSecurityGroup, made.fn);
      this.functions[functionId] = made;
      return made;
    };

    this.httpApi = new HttpApi(this, 'Http', { logRetention });
    this.realtime = new Realtime(this, 'Realtime', { logRetention });
    this.web = new Web(this, 'Web', {
      httpApiDomain: this.httpApi.domainName,
      websocketApiDomain: this.realtime.domainName,
      ...(p.consoleDomain ? { consoleDomain: p.consoleDomain } : {}),
      ...(p.previewDomain ? { previewDomain: p.previewDomain } : {}),
      ...(p.certificateArn ? { certificateArn: p.certificateArn } : {}),
      identityOrigins: identityBrowserOrigins(this, {
        mode: p.auth,
        ...(p.oidcIssuer ? { issuer: p.oidcIssuer } : {}),
        ...(p.cognitoDomainPrefix ? { domainPrefix: p.cognitoDomainPrefix } : {}),
      }),
      retain: p.retainData,
      consoleAssets: props.consoleAssets !== undefined ? props.consoleAssets : consoleDistExists() ? consoleDist : null,
    });
    this.identity = new Identity(this, 'Identity', {
      mode: p.auth,
      ...(p.oidcIssuer ? { issuer: p.oidcIssuer } : {}),
      ...(p.oidcAudience ? { audience: p.oidcAudience } : {}),
      ...(p.cognitoDomainPrefix ? { domainPrefix: p.cognitoDomainPrefix } : {}),
      consoleUrl: this.web.consoleUrl,
      retain: p.retainData,
    });
    Object.assign(shared, {
      [env.oidcIssuer]: this.identity.issuer,
      [env.oidcAudience]: this.identity.audience,
      [env.trustedOrigins]: this.web.consoleUrl,
      [env.websocketManagementEndpoint]: this.realtime.managementEndpoint,
      [env.blobBucket]: this.web.snapshotsBucket.bucketName,
      [env.previewBaseUrl]: this.web.previewUrl,
      [env.controlPlaneUrl]: this.httpApi.url,
    });

    // The model gateway holds the model credentials; workers only know its URL.
    const anthropicKey = p.anthropicKeySecret
      ? p.anthropicKeySecret.startsWith('arn:')
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'AnthropicKey', p.anthropicKeySecret)
        : secretsmanager.Secret.fromSecretNameV2(this, 'AnthropicKey', p.anthropicKeySecret)
      : null;
    const modelSettings: Record<string, string> = {
      [env.modelProvider]: p.modelProvider,
      ...(p.model ? { [env.model]: p.model } : {}),
    };
    this.modelGateway = new ModelGateway(this, 'ModelGateway', {
      makeFunction,
      entry: props.modelGatewayEntry !== undefined ? props.modelGatewayEntry : modelGatewayEntryExists() ? 'model-gateway.lambda.ts' : null,
      environment: { ...modelSettings, ...(anthropicKey ? { [env.anthropicKeySecretArn]: anthropicKey.secretArn } : {}) },
    });
    if (this.modelGateway.gateway) {
      const gatewayFn = this.modelGateway.gateway.fn;
      anthropicKey?.grantRead(gatewayFn);
      if (p.modelProvider === 'bedrock') {
        gatewayFn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
            resources: [
              `arn:${this.partition}:bedrock:*::foundation-model/anthropic.*`,
              `arn:${this.partition}:bedrock:*:${this.account}:inference-profile/*`,
            ],
          }),
        );
        acknowledge(gatewayFn, [
          {
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.*]`,
            reason:
              'The gateway may call any Anthropic model in any region a cross-region inference profile routes to; the model id is a deployment parameter.',
          },
          {
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*:<AWS::AccountId>:inference-profile/*]`,
            reason: 'Cross-region inference profiles of this account, which Bedrock needs for Claude models outside us-east-1.',
          },
        ]);
      }
    }

    this.builder = new Builder(this, 'Builder', {
      vpc,
      workerSecurityGroup: this.network.workerSecurityGroup,
      queueKey,
      makeFunction,
      workerEnvironment: {
        ...modelSettings,
        [env.controlPlaneUrl]: this.httpApi.url,
        ...(this.modelGateway.url ? { [env.modelGatewayUrl]: this.modelGateway.url } : {}),
      },
      cpu: p.workerCpu,
      memoryMiB: p.workerMemoryMiB,
      ephemeralGiB: p.workerEphemeralGiB,
      warmPoolSize: p.warmPoolSize,
      runStartAllowanceSeconds: p.runStartAllowanceSeconds,
      logRetention,
    });
    Object.assign(shared, this.builder.launchEnvironment);

    this.schedules = new Schedules(this, 'Schedules');
    Object.assign(shared, {
      [env.secretsKeyArn]: this.secretsKey.keyArn,
      [env.schedulerGroupName]: this.schedules.groupName,
      [env.schedulerRoleArn]: this.schedules.role.roleArn,
    });

    // The target of every app-agent schedule: it starts the scheduled run (plane.schedules.fire).
    const scheduleFire = makeFunction('ScheduleFireFunction', {
      entry: 'schedule-fire.lambda.ts',
      description: 'Hangar: fires app-agent schedules (EventBridge Scheduler target)',
      memorySize: 1024,
      environment: modelSettings,
    });
    this.schedules.grantTarget((role) => {
      scheduleFire.fn.grantInvoke(role);
      acknowledge(role, [
        {
          id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(scheduleFire.fn)}.Arn>:*]`,
          reason:
            'The schedule role may invoke the schedule fire function and its versions only; lambda:InvokeFunction grants name the function ARN with a version wildcard.',
        },
      ]);
    });

    const http = makeFunction('HttpApiFunction', {
      entry: 'http.lambda.ts',
      description: 'Hangar: the control plane HTTP API (Hono)',
      memorySize: 1536,
      // Publishing creates schedules that target the fire function.
      environment: { ...modelSettings, [env.scheduleFireFunctionArn]: scheduleFire.fn.functionArn },
    });
    this.httpApi.addApp(http.fn, { issuer: this.identity.issuer, audience: this.identity.audience });
    const websocket = makeFunction('WebSocketFunction', {
      entry: 'websocket.lambda.ts',
      description: 'Hangar: WebSocket $connect/$disconnect/$default',
      memorySize: 1024,
    });
    this.realtime.addHandler(websocket.fn);
    this.relay =
      p.database === 'documentdb' && this.data.clusterArn
        ? new Relay(this, 'Relay', {
            makeFunction,
            databaseName: p.databaseName,
            queueKey,
            mode: 'documentdb',
            clusterArn: this.data.clusterArn,
            secret: this.data.secret,
            cluster: this.data.cluster as Construct,
          })
        : new Relay(this, 'Relay', {
            makeFunction,
            databaseName: p.databaseName,
            queueKey,
            mode: 'atlas',
            eventSourceName: p.atlasEventSource ?? '',
          });

    // Grants: the control plane launches and stops runs, pushes frames, reads/writes blobs,
    // encrypts app secrets and manages schedules. Relays push; the sweeper stops lost tasks.
    for (const fn of [http.fn, websocket.fn, this.relay.relay.fn, scheduleFire.fn]) this.realtime.grantManage(fn);
    // Every function that composes the control plane checks or issues capability tokens.
    for (const fn of [
      http.fn,
      websocket.fn,
      this.relay.relay.fn,
      scheduleFire.fn,
      ...(this.modelGateway.gateway ? [this.modelGateway.gateway.fn] : []),
    ])
      this.capabilitySecret.grantRead(fn);
    this.grantBlobs(http.fn);
    this.builder.grantLaunch(http.fn);
    this.secretsKey.grant(http.fn, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
    this.schedules.grantManage(http.fn);
    // A fire starts a run (launch) and removes a schedule found stale (manage).
    this.builder.grantLaunch(scheduleFire.fn);
    this.schedules.grantManage(scheduleFire.fn);
    // Shared settings are complete only now; a function's own settings win.
    // The gateway never launches workers (and the worker task references the gateway's URL).
    const launchOnly = new Set(Object.keys(this.builder.launchEnvironment));
    for (const made of Object.values(this.functions)) {
      for (const [name, value] of Object.entries(shared)) {
        if (own.get(made)?.has(name) || (made === this.modelGateway.gateway && launchOnly.has(name))) continue;
        made.fn.addEnvironment(name, value);
      }
    }

    this.operations = new Operations(this, 'Operations', {
      deadLetterQueues: [this.builder.deadLetterQueue, ...(this.relay.deadLetterQueue ? [this.relay.deadLetterQueue] : [])],
      functions: Object.fromEntries(Object.entries(this.functions).map(([name, made]) => [name, made.fn])),
      relay: this.relay.mapping ? this.relay.relay.fn : null,
      topicKey: queueKey,
      ...(p.alarmEmail ? { alarmEmail: p.alarmEmail } : {}),
    });

    this.acknowledgeFunctionFindings();
    const output = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description });
    output('ConsoleUrl', this.web.consoleUrl, 'The Hangar console');
    output('PreviewUrl', this.web.previewUrl, 'Preview origin of generated apps (separate from the console)');
    output('HttpApiUrl', this.httpApi.url, 'Control plane HTTP API (also served under the console at /api)');
    output('WebSocketUrl', this.realtime.url, 'WebSocket API (also served under the console at /ws)');
    output('OidcIssuer', this.identity.issuer, 'Issuer of the bearer tokens');
    output('OidcClientId', this.identity.audience, 'Client id (audience) of the console');
    if (this.identity.authorizationEndpoint)
      output('SignInUrl', this.identity.authorizationEndpoint, 'Cognito hosted UI authorize endpoint');
    output('ModelGatewayUrl', this.modelGateway.url || 'none', 'Model gateway function URL');
    output('SnapshotsBucket', this.web.snapshotsBucket.bucketName, 'Snapshot blobs');
    output(
      'ConsoleBucket',
      this.web.consoleBucket.bucketName,
      this.web.consoleDeployment
        ? 'Console static files (uploaded from web/dist by this deployment)'
        : 'Console static files: web/dist was not built, so none were uploaded (npm run build -w web, then deploy again)',
    );
    output('ConsoleDistributionId', this.web.consoleDistribution.distributionId, 'The console distribution (invalidated on each upload)');
    output('RunQueueUrl', this.builder.queue.queueUrl, 'Run requests');
    output('AlarmTopicArn', this.operations.topic.topicArn, 'Alarm notifications');
  }

  /**
   * Snapshot blobs: read and write objects under `blobs/` (content-addressed, never deleted
   * by the control plane), and ListBucket so a missing blob answers 404 rather than 403.
   */
  private grantBlobs(fn: lambda.IFunction): void {
    const bucket = this.web.snapshotsBucket;
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects('blobs/*')] }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    acknowledge(fn, [
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/blobs/*]`,
        reason:
          'Blobs are keyed by their sha256 under blobs/, so the keys a run writes cannot be listed in advance; the grant is get and put only.',
      },
    ]);
  }

  /** Findings every Hangar Lambda shares, each accepted for a stated reason. */
  private acknowledgeFunctionFindings(): void {
    for (const made of Object.values(this.functions)) {
      acknowledge(made, [
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "The AWS-managed basic execution policy only allows writing the function's own CloudWatch logs.",
        },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
          reason: 'The AWS-managed VPC access policy only manages the network interfaces Lambda needs to run inside the VPC.',
        },
      ]);
    }
  }
}
