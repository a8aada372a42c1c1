import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, logicalIdOf } from '../nag';

export interface WebProps {
  /** `{apiId}.execute-api.{region}.amazonaws.com` of the HTTP API. */
  httpApiDomain: string;
  /** Same, of the WebSocket API (its stage is `ws`, matching the console's `/ws` path). */
  websocketApiDomain: string;
  consoleDomain?: string;
  previewDomain?: string;
  certificateArn?: string;
  /** Origins the console calls besides its own: the OIDC issuer and, for Cognito, its hosted UI domain. */
  identityOrigins: string[];
  retain: boolean;
  /**
   * The built console (`web/dist`, from `npm run build -w web`): uploaded to the console bucket
   * on deploy, then the distribution is invalidated. Null when it has not been built: synthesis
   * still works (offline, no Docker) and the bucket stays as it was.
   */
  consoleAssets: string | null;
}

const previewOnlyFunction = `function handler(event) {
  var uri = event.request.uri;
  if (uri.indexOf('/preview/') === 0) return event.request;
  return { statusCode: 404, statusDescription: 'Not Found', headers: { 'content-type': { value: 'text/plain' } }, body: 'Not found' };
}`;

/**
 * Buckets and distributions. Snapshots live in a private, content-addressed bucket. The console
 * is a private bucket behind CloudFront (origin access control) that also forwards `/api/*` to
 * the HTTP API and `/ws` to the WebSocket API, so the console is one origin. Previews of
 * generated apps come from a SEPARATE distribution (its own domain) that only forwards
 * `/preview/*`: generated code never runs on the console's origin.
 */
export class Web extends Construct {
  readonly logsBucket: s3.Bucket;
  readonly snapshotsBucket: s3.Bucket;
  readonly consoleBucket: s3.Bucket;
  readonly consoleDistribution: cloudfront.Distribution;
  readonly previewDistribution: cloudfront.Distribution;
  readonly consoleUrl: string;
  readonly previewUrl: string;
  /** The upload of the built console, or null when `web/dist` was not built. */
  readonly consoleDeployment: s3deploy.BucketDeployment | null;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.logsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are written with ACLs, so this bucket alone keeps them enabled.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    acknowledge(this.logsBucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log bucket of the other buckets and distributions; logging it into itself would loop.',
      },
    ]);
    const privateBucket = (bucketId: string, prefix: string) =>
      new s3.Bucket(this, bucketId, {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        serverAccessLogsBucket: this.logsBucket,
        serverAccessLogsPrefix: prefix,
        removalPolicy,
        autoDeleteObjects: !props.retain,
      });
    // Content-addressed (sha256 keys): an object never changes, so versioning would only cost.
    this.snapshotsBucket = privateBucket('Snapshots', 'snapshots/');
    this.consoleBucket = privateBucket('Console', 'console/');

    const certificate = props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    const apiBehavior = (domain: string): cloudfront.BehaviorOptions => ({
      origin: new origins.HttpOrigin(domain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // The same policy the local host sends, plus the identity provider's origins (discovery, tokens).
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            ["connect-src 'self' wss:", ...props.identityOrigins].join(' '),
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
      },
    });
    const domainSettings = (domain?: string) =>
      domain && certificate
        ? { domainNames: [domain], certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {};

    this.consoleDistribution = new cloudfront.Distribution(this, 'ConsoleDistribution', {
      comment: 'Hangar console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.consoleBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        '/api/*': apiBehavior(props.httpApiDomain),
        '/ws': apiBehavior(props.websocketApiDomain),
      },
      // Client-side routes: unknown paths load the single-page app.
      errorResponses: [
        { httpStatus: 403, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) },
        { httpStatus: 404, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) },
      ],
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/console/',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...domainSettings(props.consoleDomain),
    });

    const previewOnly = new cloudfront.Function(this, 'PreviewOnly', {
      comment: 'Hangar previews: only /preview/* reaches the API from this origin',
      code: cloudfront.FunctionCode.fromInline(previewOnlyFunction),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    this.previewDistribution = new cloudfront.Distribution(this, 'PreviewDistribution', {
      comment: 'Hangar previews (a separate origin from the console)',
      defaultBehavior: {
        ...apiBehavior(props.httpApiDomain),
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        functionAssociations: [{ function: previewOnly, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/preview/',
      ...domainSettings(props.previewDomain),
    });

    for (const distribution of [this.consoleDistribution, this.previewDistribution]) {
      acknowledge(distribution, [
        {
          id: 'AwsSolutions-CFR1',
          reason: 'Hangar is used by distributed teams; restricting countries is an operator choice (DEPLOY.md shows how).',
        },
        {
          id: 'AwsSolutions-CFR2',
          reason:
            'A WAF web ACL costs a fixed monthly fee; DEPLOY.md lists attaching one (with rate-based rules) as an option. API Gateway throttles every route.',
        },
        ...(certificate
          ? []
          : [
              {
                id: 'AwsSolutions-CFR4',
                reason:
                  'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; a custom domain uses TLSv1.2_2021.',
              },
            ]),
      ]);
    }
    acknowledge(this.previewDistribution, [
      { id: 'AwsSolutions-CFR7', reason: 'The preview origin is the HTTP API, not S3; origin access control applies to S3 origins only.' },
    ]);
    this.consoleDeployment = props.consoleAssets ? this.deployConsole(props.consoleAssets) : null;
    this.consoleUrl = `https://${props.consoleDomain ?? this.consoleDistribution.distributionDomainName}`;
    this.previewUrl = `https://${props.previewDomain ?? this.previewDistribution.distributionDomainName}`;
  }

  /**
   * Uploads the built console and invalidates the distribution. Old files are kept (no prune):
   * a tab still running the previous build can load its hashed chunks until it reloads. The
   * console needs no generated config: it is one origin with the API (`/api`) and the WebSocket
   * API (`/ws`), and reads its OIDC issuer and client id from `GET /api/auth/config`.
   */
  private deployConsole(assets: string): s3deploy.BucketDeployment {
    const deployment = new s3deploy.BucketDeployment(this, 'ConsoleUpload', {
      sources: [s3deploy.Source.asset(assets)],
      destinationBucket: this.consoleBucket,
      distribution: this.consoleDistribution,
      distributionPaths: ['/*'],
      prune: false,
      memoryLimit: 512,
    });
    // The upload runs in the CDK's singleton handler, a sibling of this construct in the stack.
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('the BucketDeployment handler was not found in the stack');
    const s3Action = (action: string, why: string) => ({
      id: `AwsSolutions-IAM5[Action::s3:${action}]`,
      reason: `Granted by the CDK's BucketDeployment so the upload can ${why}; the grant is scoped to the CDK asset bucket and the console bucket only.`,
    });
    acknowledge(handler, [
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "The deploy-time upload function's AWS-managed basic execution policy only allows writing its own CloudWatch logs.",
      },
      s3Action('GetObject*', 'read the zipped web/dist asset and compare the objects already in the console bucket'),
      s3Action('GetBucket*', 'read the location and settings of the asset and console buckets'),
      s3Action('List*', 'list the console bucket to know which files to copy'),
      s3Action('DeleteObject*', 'replace objects in the console bucket (prune is off, so old builds are kept)'),
      s3Action('Abort*', 'abort a multipart upload of a large console file that failed midway'),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`,
        reason: 'The bootstrap asset bucket holds the zipped console under a content hash chosen at synthesis; the function only reads it.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.consoleBucket)}.Arn>/*]`,
        reason: 'The upload writes every file of the built console, whose hashed names change with each build, into the console bucket.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "The CDK's BucketDeployment grants only cloudfront:CreateInvalidation and GetInvalidation, on * (not configurable); the handler invalidates just the console distribution it is given.",
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The deploy-time upload function's runtime is chosen by aws-cdk-lib's BucketDeployment (with its AWS CLI layer) and is upgraded with aws-cdk-lib; it runs only during deploys.",
      },
    ]);
    return deployment;
  }
}
