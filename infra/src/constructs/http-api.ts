import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface HttpApiProps {
  logRetention: logs.RetentionDays;
}

export interface HttpApiAuthorization {
  issuer: string;
  audience: string;
}

/** Routes the app authorizes itself: run tokens, preview capability URLs, health and sign-in config. */
export const publicRoutes = ['GET /api/health', 'ANY /api/auth/{proxy+}', 'ANY /internal/{proxy+}', 'GET /preview/{proxy+}'] as const;

/**
 * The control plane's HTTP API: API Gateway (payload v2) in front of the Hono app. `/api/*`
 * requires a JWT from the configured issuer before the Lambda runs; the app verifies it again
 * (it also needs the claims). Routes with their own credentials skip the authorizer.
 */
export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly url: string;
  /** `{apiId}.execute-api.{region}.amazonaws.com`: the origin CloudFront forwards to. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', { apiName: 'hangar-http', createDefaultStage: false, disableExecuteApiEndpoint: false });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    this.domainName = `${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
    this.url = `https://${this.domainName}`;
  }

  /** Routes every path to the app; `/api/*` behind the JWT authorizer. Called once the Lambda exists. */
  addApp(handler: lambda.IFunction, auth: HttpApiAuthorization): void {
    const integration = new HttpLambdaIntegration('App', handler);
    const authorizer = new HttpJwtAuthorizer('Jwt', auth.issuer, {
      jwtAudience: [auth.audience],
      identitySource: ['$request.header.Authorization'],
    });
    this.api.addRoutes({ path: '/api/{proxy+}', methods: [apigw.HttpMethod.ANY], integration, authorizer });
    const open = [
      ...this.api.addRoutes({ path: '/api/health', methods: [apigw.HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: '/api/auth/{proxy+}', methods: [apigw.HttpMethod.ANY], integration }),
      ...this.api.addRoutes({ path: '/internal/{proxy+}', methods: [apigw.HttpMethod.ANY], integration }),
      ...this.api.addRoutes({ path: '/preview/{proxy+}', methods: [apigw.HttpMethod.GET], integration }),
    ];
    for (const route of open) {
      acknowledge(route, [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'This route carries its own credential that the app verifies: a run-scoped token (/internal), a preview capability URL (/preview), or none by design (/api/health, the sign-in configuration under /api/auth).',
        },
      ]);
    }
  }
}
