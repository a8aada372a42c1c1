import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, arnFinding, logicalIdOf } from '../nag';

export interface RealtimeProps {
  logRetention: logs.RetentionDays;
}

/** The stage is named like the console's socket path, so CloudFront forwards `/ws` unchanged. */
export const websocketStageName = 'ws';

/**
 * The WebSocket API that carries run events and live-data changes to browsers (an HTTP API
 * buffers responses, so it cannot stream). `$connect` authorizes the `token` query parameter,
 * `$disconnect` drops subscriptions, `$default` handles subscribe/resume/ping messages.
 */
export class Realtime extends Construct {
  readonly api: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  /** `wss://…/ws`: where browsers connect. */
  readonly url: string;
  /** `https://…/ws`: the management API the Lambdas post frames to (HANGAR_WEBSOCKET_MANAGEMENT_ENDPOINT). */
  readonly managementEndpoint: string;
  /** `{apiId}.execute-api.{region}.amazonaws.com`: the origin the console distribution forwards `/ws` to. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);
    this.api = new apigw.WebSocketApi(this, 'Api', { apiName: 'hangar-ws', routeSelectionExpression: '$request.body.type' });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: websocketStageName,
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    acknowledge(this.api, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'The $connect Lambda verifies the OIDC token from the `token` query parameter (browsers cannot set headers on WebSocket upgrades) and the Origin header, and refuses the upgrade otherwise; a separate Lambda authorizer would verify the same token twice.',
      },
    ]);
    this.url = this.stage.url;
    this.managementEndpoint = this.stage.callbackUrl;
    this.domainName = `${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
  }

  /** Routes `$connect`, `$disconnect` and `$default` to the session handlers' Lambda. */
  addHandler(handler: lambda.IFunction): void {
    for (const [routeKey, name] of [
      ['$connect', 'ConnectIntegration'],
      ['$disconnect', 'DisconnectIntegration'],
      ['$default', 'DefaultRouteIntegration'],
    ] as const) {
      this.api.addRoute(routeKey, { integration: new WebSocketLambdaIntegration(name, handler) });
    }
    this.grantManage(handler);
  }

  /** Lets a role post to, read and close connections of this API only. */
  grantManage(grantee: iam.IGrantable): void {
    this.api.grantManageConnections(grantee);
    acknowledge(grantee as unknown as IConstruct, [
      {
        id: arnFinding('execute-api', `<${logicalIdOf(this.api)}>/*/*/@connections/*`),
        reason: 'Connection ids are assigned by API Gateway at $connect; the grant covers @connections of this WebSocket API only.',
      },
    ]);
  }
}
