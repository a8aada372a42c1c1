import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { builtConsole, logicalIdStartingWith, synthHangar } from './testing';

describe('Hangar stack variants', () => {
  it('Atlas: no DocumentDB; Atlas Trigger events reach the Atlas relay through the partner bus, with a DLQ', () => {
    const source = 'aws.partner/mongodb.com/stitch.trigger/65a1b2c3d4e5f60718293a4b';
    const { template } = synthHangar({ database: 'atlas', atlasUriSecret: 'hangar/atlas-uri', atlasEventSource: source });
    template.resourceCountIs('AWS::DocDB::DBCluster', 0);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1); // only the SQS launcher
    template.hasResourceProperties('AWS::Events::EventBus', { Name: source, EventSourceName: source });
    const relay = logicalIdStartingWith(template, 'AWS::Lambda::Function', 'AtlasRelay');
    const dlq = logicalIdStartingWith(template, 'AWS::SQS::Queue', 'RelayAtlasRelayDlq');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: source,
      EventPattern: { source: [{ prefix: 'aws.partner/mongodb.com' }], detail: { ns: { db: ['hangar'] } } },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [relay, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
    });
  }, 120_000);

  it('external OIDC, ElastiCache Serverless, a warm pool and Bedrock for the gateway only', () => {
    const { template } = synthHangar(
      {
        auth: 'oidc',
        oidcIssuer: 'https://login.example.com/',
        oidcAudience: 'hangar-console',
        cache: 'serverless',
        warmPoolSize: 2,
        modelProvider: 'bedrock',
      },
      { modelGateway: true },
    );
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    // interfaceEndpoints defaults on: 6 interface endpoints and the S3 gateway.
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 7);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['hangar-console'] },
    });
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', { Engine: 'valkey', UserGroupId: Match.anyValue() });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2, LaunchType: 'FARGATE' });
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
      JSON.stringify(policy).includes('bedrock:InvokeModelWithResponseStream'),
    );
    expect(policies.map(([id]) => id)).toEqual([expect.stringMatching(/^ModelGatewayFunction/)]);
  }, 120_000);
});

describe('console content security policy', () => {
  it('lets the console reach its identity provider and nothing else off-origin', () => {
    const { template } = synthHangar({
      auth: 'oidc',
      oidcIssuer: 'https://login.example.com/tenant/v2',
      oidcAudience: 'hangar-console',
      interfaceEndpoints: false,
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("connect-src 'self' wss: https://login\\.example\\.com;"),
          },
        },
      },
    });
  }, 120_000);
});

describe('console upload', () => {
  it('uploads the built console to the console bucket and invalidates its distribution; without a build, uploads nothing', () => {
    const { template } = synthHangar({}, { consoleAssets: builtConsole() });
    const bucket = logicalIdStartingWith(template, 'AWS::S3::Bucket', 'WebConsole');
    const distribution = logicalIdStartingWith(template, 'AWS::CloudFront::Distribution', 'WebConsoleDistribution');
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucket },
      DistributionId: { Ref: distribution },
      DistributionPaths: ['/*'],
      // A tab on the previous build keeps loading its hashed chunks.
      Prune: false,
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => JSON.stringify(policy));
    expect(policies.some((policy) => policy.includes('cloudfront:CreateInvalidation'))).toBe(true);
    template.hasOutput('ConsoleBucket', { Description: Match.stringLikeRegexp('uploaded from web/dist') });

    const unbuilt = synthHangar({}, { consoleAssets: null }).template;
    unbuilt.resourceCountIs('Custom::CDKBucketDeployment', 0);
    unbuilt.hasOutput('ConsoleBucket', { Description: Match.stringLikeRegexp('npm run build -w web') });
  }, 180_000);
});
