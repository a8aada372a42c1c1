import { Match } from 'aws-cdk-lib/assertions';
import { defaultRunStartAllowanceSeconds, environmentVariables, runStartAllowanceMs } from '@hangar/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsSettingsFromEnvironment } from '../../functions/src/entrypoints/aws-composition';
import { resolveAwsConnections } from '../../functions/src/entrypoints/aws-runtime';
import { alarmThresholds } from './constructs/operations';
import { logicalIdStartingWith, synthHangar } from './testing';

type Resource = { Type: string; Properties: Record<string, unknown> };
let synthesized: ReturnType<typeof synthHangar>;
beforeAll(() => {
  synthesized = synthHangar({}, { modelGateway: true });
}, 180_000);
const template = () => synthesized.template;
const fnId = (prefix: string) => logicalIdStartingWith(template(), 'AWS::Lambda::Function', prefix);
const statementsOf = (roleFunctionPrefix: string) => {
  const policies = template().findResources('AWS::IAM::Policy') as Record<string, Resource>;
  const role = (template().findResources('AWS::Lambda::Function')[fnId(roleFunctionPrefix)] as Resource).Properties.Role as {
    'Fn::GetAtt': [string];
  };
  return Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role['Fn::GetAtt'][0]))
    .flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] })
          .Statement,
    );
};
const actions = (statement: { Action: string | string[] }) => [statement.Action].flat();

describe('Hangar stack', () => {
  it('runs every function on Node.js 24 arm64', () => {
    const functions = Object.values(template().findResources('AWS::Lambda::Function')) as Resource[];
    for (const prefix of [
      'HttpApiFunction',
      'WebSocketFunction',
      'DocumentDbRelay',
      'ChangeStreamsEnabler',
      'Launcher',
      'Sweeper',
      'ModelGatewayFunction',
      'ScheduleFireFunction',
    ])
      fnId(prefix);
    expect(functions).toHaveLength(8);
    for (const fn of functions)
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });

  it('sets only environment variable names defined in protocol/src/environment.ts', () => {
    const known = new Set<string>(Object.values(environmentVariables));
    const runtimeOwned = new Set([
      'NODE_EXTRA_CA_CERTS',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'AWS_NODEJS_CONNECTION_REUSE_ENABLED',
    ]);
    const functions = Object.values(template().findResources('AWS::Lambda::Function')) as Resource[];
    const names = functions.flatMap((fn) => Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables));
    expect(names.filter((name) => !known.has(name) && !runtimeOwned.has(name))).toEqual([]);
    const http = template().findResources('AWS::Lambda::Function')[fnId('HttpApiFunction')] as Resource;
    const variables = (http.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of [
      environmentVariables.mongodbSecretArn,
      environmentVariables.redisUrl,
      environmentVariables.blobBucket,
      environmentVariables.runQueueUrl,
      environmentVariables.websocketManagementEndpoint,
      environmentVariables.oidcIssuer,
      environmentVariables.secretsKeyArn,
      environmentVariables.schedulerGroupName,
    ]) {
      expect(variables, name).toHaveProperty(name);
    }
  });

  it('gives every function that composes the control plane each setting the composition reads', async () => {
    // The deployed values are CloudFormation references; each becomes a stand-in naming its variable.
    const environmentOf = (prefix: string) => {
      const fn = template().findResources('AWS::Lambda::Function')[fnId(prefix)] as Resource;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const source: Record<string, string> = { AWS_REGION: 'eu-west-1' };
      for (const [name, value] of Object.entries(variables)) source[name] = typeof value === 'string' ? value : `ref:${name}`;
      // The cache's address is a URL the runtime parses; its stand-in must be one.
      source[environmentVariables.redisUrl] = 'rediss://cache.internal:6379';
      return source;
    };
    // Secrets Manager as the stack fills it: DocumentDB credentials, the Redis AUTH token, a generated signing key.
    const secretValues: Record<string, string> = {
      [`ref:${environmentVariables.mongodbSecretArn}`]: JSON.stringify({
        username: 'hangar',
        password: 'p'.repeat(24),
        host: 'docdb',
        port: 27017,
      }),
      [`ref:${environmentVariables.redisAuthSecretArn}`]: JSON.stringify({ password: 'r'.repeat(32) }),
      [`ref:${environmentVariables.capabilitySecretArn}`]: 'c'.repeat(64),
    };
    const asked: string[] = [];
    const secrets = {
      send: (command: { input: { SecretId: string } }) => {
        asked.push(command.input.SecretId);
        const value = secretValues[command.input.SecretId];
        return value === undefined
          ? Promise.reject(new Error(`no secret ${command.input.SecretId}`))
          : Promise.resolve({ SecretString: value });
      },
    } as unknown as SecretsManagerClient;
    for (const prefix of ['HttpApiFunction', 'WebSocketFunction', 'DocumentDbRelay', 'ScheduleFireFunction', 'ModelGatewayFunction']) {
      const source = environmentOf(prefix);
      const settings = awsSettingsFromEnvironment(source);
      expect(settings.secretsKeyId, prefix).toBe(`ref:${environmentVariables.secretsKeyArn}`);
      expect(settings.internalApiUrl, prefix).toBe(`ref:${environmentVariables.controlPlaneUrl}`);
      const connections = await resolveAwsConnections(secrets, source);
      expect(connections.capabilitySecret.equals(Buffer.from('c'.repeat(64))), prefix).toBe(true);
      expect(connections.mongodbUri, prefix).toContain('mongodb://hangar:');
      expect(connections.redisUrl, prefix).toContain(':rrrr');
    }
    expect(new Set(asked)).toEqual(new Set(Object.keys(secretValues)));
    // Each of them may read the signing key; the launcher and the sweeper, which never see a token, may not.
    const readsSigningKey = (prefix: string) =>
      statementsOf(prefix).some(
        (statement) =>
          actions(statement).includes('secretsmanager:GetSecretValue') && JSON.stringify(statement.Resource).includes('CapabilitySecret'),
      );
    for (const prefix of ['HttpApiFunction', 'WebSocketFunction', 'DocumentDbRelay', 'ScheduleFireFunction', 'ModelGatewayFunction'])
      expect(readsSigningKey(prefix), prefix).toBe(true);
    for (const prefix of ['Launcher', 'Sweeper']) expect(readsSigningKey(prefix), prefix).toBe(false);
  });

  it('routes $connect, $disconnect and $default of the WebSocket API to the session Lambda', () => {
    const wsApi = logicalIdStartingWith(template(), 'AWS::ApiGatewayV2::Api', 'RealtimeApi');
    template().hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.type',
    });
    const routes = Object.values(
      template().findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: { Ref: wsApi } } }),
    ) as Resource[];
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    const integrations = Object.values(
      template().findResources('AWS::ApiGatewayV2::Integration', { Properties: { ApiId: { Ref: wsApi } } }),
    ) as Resource[];
    expect(integrations).toHaveLength(3);
    for (const integration of integrations)
      expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(fnId('WebSocketFunction'));
    template().hasResourceProperties('AWS::ApiGatewayV2::Stage', { ApiId: { Ref: wsApi }, StageName: 'ws' });
  });

  it('puts /api behind a JWT authorizer and leaves run-token, preview and health routes to the app', () => {
    template().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    template().hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/{proxy+}', AuthorizationType: 'JWT' });
    for (const key of ['GET /api/health', 'ANY /internal/{proxy+}', 'GET /preview/{proxy+}']) {
      template().hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE' });
    }
  });

  it('feeds the relay from the DocumentDB change stream with the credentials secret', () => {
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId('DocumentDbRelay') },
      StartingPosition: 'LATEST',
      DocumentDBEventSourceConfig: { DatabaseName: 'hangar', FullDocument: 'UpdateLookup' },
      SourceAccessConfigurations: [
        {
          Type: 'BASIC_AUTH',
          URI: { Ref: logicalIdStartingWith(template(), 'AWS::SecretsManager::SecretTargetAttachment', 'DataClusterSecretAttachment') },
        },
      ],
      EventSourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([':rds:', ':cluster:', { Ref: logicalIdStartingWith(template(), 'AWS::DocDB::DBCluster', 'DataCluster') }]),
        ],
      },
    });
  });

  it('enables change streams with a custom resource after the cluster, before the mapping', () => {
    const resources = template().toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }
    >;
    const [id, resource] = Object.entries(resources).find(([, candidate]) => candidate.Type === 'Custom::DocumentDbChangeStreams') ?? [];
    expect(resource?.Properties).toMatchObject({
      ServiceToken: { 'Fn::GetAtt': [fnId('ChangeStreamsEnabler'), 'Arn'] },
      DatabaseName: 'hangar',
    });
    expect(resource?.DependsOn).toEqual(
      expect.arrayContaining([logicalIdStartingWith(template(), 'AWS::DocDB::DBInstance', 'DataClusterInstance1')]),
    );
    const mapping = Object.values(resources).find(
      (candidate) => candidate.Type === 'AWS::Lambda::EventSourceMapping' && 'DocumentDBEventSourceConfig' in candidate.Properties,
    );
    expect(mapping?.DependsOn).toContain(id);
  });

  it('queues run requests with a dead-letter queue and reports partial batch failures', () => {
    const dlq = logicalIdStartingWith(template(), 'AWS::SQS::Queue', 'BuilderRunRequestsDlq');
    const queue = logicalIdStartingWith(template(), 'AWS::SQS::Queue', 'BuilderRunRequests');
    template().hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      KmsMasterKeyId: Match.anyValue(),
      VisibilityTimeout: 360,
    });
    template().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: fnId('Launcher') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: alarmThresholds.deadLetterMessages,
    });
  });

  it('limits RunTask to the worker task definition in the Hangar cluster', () => {
    const taskDefinition = logicalIdStartingWith(template(), 'AWS::ECS::TaskDefinition', 'BuilderWorkerTask');
    const cluster = logicalIdStartingWith(template(), 'AWS::ECS::Cluster', 'BuilderCluster');
    const runTask = statementsOf('Launcher').filter((statement) => actions(statement).includes('ecs:RunTask'));
    expect(runTask).toEqual([
      {
        Action: 'ecs:RunTask',
        Effect: 'Allow',
        Resource: { Ref: taskDefinition },
        Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [cluster, 'Arn'] } } },
      },
    ]);
    // No other role may start tasks.
    for (const prefix of ['HttpApiFunction', 'WebSocketFunction', 'Sweeper', 'DocumentDbRelay', 'ModelGatewayFunction']) {
      expect(statementsOf(prefix).filter((statement) => actions(statement).includes('ecs:RunTask'))).toEqual([]);
    }
  });

  it('runs workers as an arm64 task (root with all but six capabilities dropped; builds run as a second uid) with workspace-sized storage and a task role without permissions', () => {
    template().hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      EphemeralStorage: { SizeInGiB: 50 },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'worker',
          User: '0:0',
          Image: Match.anyValue(),
          LinuxParameters: Match.objectLike({
            Capabilities: { Drop: Match.arrayWith(['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE']) },
          }),
        }),
      ],
    });
    const taskRole = (Object.values(template().findResources('AWS::ECS::TaskDefinition'))[0] as Resource).Properties.TaskRoleArn as {
      'Fn::GetAtt': [string];
    };
    const policies = Object.values(template().findResources('AWS::IAM::Policy')) as Resource[];
    expect(policies.filter((policy) => JSON.stringify(policy.Properties.Roles).includes(taskRole['Fn::GetAtt'][0]))).toEqual([]);
    const taskRoleResource = template().findResources('AWS::IAM::Role')[taskRole['Fn::GetAtt'][0]] as Resource;
    expect(taskRoleResource.Properties.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(template().toJSON())).not.toContain('bedrock:');
  });

  it('sweeps lost workers every minute', () => {
    template().hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('Sweeper'), 'Arn'] } })],
    });
    expect(statementsOf('Sweeper').some((statement) => actions(statement).includes('ecs:StopTask'))).toBe(true);
    // Queued runs get the Fargate start allowance before the sweeper fails them; the sweeper reads it back.
    const sweeper = template().findResources('AWS::Lambda::Function')[fnId('Sweeper')] as Resource;
    const variables = (sweeper.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(variables[environmentVariables.runStartAllowanceSeconds]).toBe(String(defaultRunStartAllowanceSeconds));
    expect(runStartAllowanceMs(variables)).toBe(defaultRunStartAllowanceSeconds * 1000);
  });

  it('serves previews from a separate distribution that only forwards /preview/* to the API', () => {
    const distributions = Object.entries(template().findResources('AWS::CloudFront::Distribution')) as [string, Resource][];
    expect(distributions).toHaveLength(2);
    const config = (id: string) =>
      (distributions.find(([key]) => key.startsWith(id))?.[1].Properties.DistributionConfig ?? {}) as Record<string, unknown>;
    const consoleConfig = config('WebConsoleDistribution');
    const previewConfig = config('WebPreviewDistribution');
    const origins = (distribution: Record<string, unknown>) =>
      distribution.Origins as { DomainName: unknown; S3OriginConfig?: unknown; OriginAccessControlId?: unknown }[];
    // The console: S3 behind origin access control, plus the API and WebSocket origins.
    expect(origins(consoleConfig).filter((origin) => origin.OriginAccessControlId)).toHaveLength(1);
    expect(consoleConfig.CacheBehaviors).toEqual(
      expect.arrayContaining([expect.objectContaining({ PathPattern: '/api/*' }), expect.objectContaining({ PathPattern: '/ws' })]),
    );
    // Previews: one origin (the HTTP API), no S3 bucket, and a viewer function refusing other paths.
    expect(origins(previewConfig)).toHaveLength(1);
    expect(JSON.stringify(origins(previewConfig)[0]?.DomainName)).toContain(
      logicalIdStartingWith(template(), 'AWS::ApiGatewayV2::Api', 'HttpApi'),
    );
    expect(origins(previewConfig)[0]?.OriginAccessControlId).toBeUndefined();
    const behavior = previewConfig.DefaultCacheBehavior as { FunctionAssociations: { EventType: string }[]; AllowedMethods: string[] };
    expect(behavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    template().hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp("indexOf\\('/preview/'\\) === 0"),
    });
  });

  it('requires TLS on DocumentDB and ElastiCache, with encryption at rest and an AUTH token', () => {
    template().hasResourceProperties('AWS::DocDB::DBClusterParameterGroup', {
      Parameters: Match.objectLike({ tls: 'enabled', change_stream_log_retention_duration: '604800' }),
    });
    template().hasResourceProperties('AWS::DocDB::DBCluster', { StorageEncrypted: true, Port: 27217, KmsKeyId: Match.anyValue() });
    template().hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      AuthToken: Match.anyValue(),
      MultiAZEnabled: true,
    });
  });

  it('encrypts every secret with a customer-managed KMS key, and keeps a rotating key for app secrets', () => {
    const secrets = Object.values(template().findResources('AWS::SecretsManager::Secret')) as Resource[];
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const appKey = logicalIdStartingWith(template(), 'AWS::KMS::Key', 'AppSecretsKey');
    template().hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } });
    expect(
      JSON.stringify(statementsOf('HttpApiFunction').filter((statement) => JSON.stringify(statement.Resource).includes(appKey))),
    ).toContain('kms:GenerateDataKey');
  });

  it('creates the scheduler group and role for app-agent triggers', () => {
    template().hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'hangar-app-agents' });
    template().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })] },
    });
  });

  it('lets schedules invoke only the fire function, and gives its ARN to the HTTP function that creates them', () => {
    const fire = fnId('ScheduleFireFunction');
    const scheduleRole = logicalIdStartingWith(template(), 'AWS::IAM::Role', 'SchedulesRole');
    const policies = Object.values(template().findResources('AWS::IAM::Policy')) as Resource[];
    const roleStatements = policies
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(scheduleRole))
      .flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
      );
    expect(roleStatements.map((statement) => actions(statement)).flat()).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(roleStatements[0]?.Resource)).toContain(fire);
    expect(JSON.stringify(roleStatements[0]?.Resource)).not.toContain(fnId('HttpApiFunction'));

    const variablesOf = (prefix: string) =>
      (
        (template().findResources('AWS::Lambda::Function')[fnId(prefix)] as Resource).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(variablesOf('HttpApiFunction')[environmentVariables.scheduleFireFunctionArn]).toEqual({ 'Fn::GetAtt': [fire, 'Arn'] });
    // The fire function cannot be told its own ARN (a cycle); it only fires and removes schedules.
    expect(variablesOf('ScheduleFireFunction')).not.toHaveProperty(environmentVariables.scheduleFireFunctionArn);
    for (const name of [
      environmentVariables.schedulerGroupName,
      environmentVariables.schedulerRoleArn,
      environmentVariables.mongodbSecretArn,
    ])
      expect(variablesOf('ScheduleFireFunction'), name).toHaveProperty(name);

    // Both manage schedules in the Hangar group only, and pass only the schedule role.
    for (const prefix of ['HttpApiFunction', 'ScheduleFireFunction']) {
      const statements = statementsOf(prefix);
      const manage = statements.find((statement) => actions(statement).includes('scheduler:CreateSchedule'));
      expect(actions(manage ?? { Action: [] }).sort(), prefix).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:UpdateSchedule',
      ]);
      expect(JSON.stringify(manage?.Resource), prefix).toContain('schedule/hangar-app-agents/*');
      const pass = statements.find((statement) => actions(statement).includes('iam:PassRole'));
      expect(JSON.stringify(pass?.Resource), prefix).toContain(scheduleRole);
    }
    // A fire starts a run: the fire function sends run requests to the queue.
    expect(statementsOf('ScheduleFireFunction').some((statement) => actions(statement).includes('sqs:SendMessage'))).toBe(true);
  });

  it('streams the model gateway from a function URL and alarms on errors and relay lag', () => {
    template().hasResourceProperties('AWS::Lambda::Url', {
      InvokeMode: 'RESPONSE_STREAM',
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [fnId('ModelGatewayFunction'), 'Arn'] },
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Threshold: alarmThresholds.relayIteratorAgeMs,
    });
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('Launcher') } }],
    });
    for (const name of ['ConsoleUrl', 'PreviewUrl', 'HttpApiUrl', 'WebSocketUrl', 'OidcIssuer', 'OidcClientId', 'ModelGatewayUrl'])
      template().hasOutput(name, {});
  });

  it('keeps log groups on a retention period', () => {
    const groups = Object.values(template().findResources('AWS::Logs::LogGroup')) as Resource[];
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });
});
