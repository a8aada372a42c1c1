import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FunctionFactory } from './builder';
import type { HangarFunction } from './hangar-function';

export interface ModelGatewayProps {
  makeFunction: FunctionFactory;
  /** The entry point file (model-gateway.lambda.ts), or null while it does not exist yet. */
  entry: string | null;
  environment: Record<string, string>;
}

/**
 * The control-plane model gateway: workers send model calls to this function URL with their
 * run token as the bearer (the Anthropic SDK's API key slot), and the gateway holds the real
 * credentials (an Anthropic key from Secrets Manager, or Bedrock through its role) and meters
 * usage. RESPONSE_STREAM so tokens flow as they are generated. The function URL is not IAM
 * authorized because the Authorization header carries the run token, which the gateway verifies.
 */
export class ModelGateway extends Construct {
  readonly gateway: HangarFunction | null;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ModelGatewayProps) {
    super(scope, id);
    if (!props.entry) {
      this.gateway = null;
      this.url = '';
      new CfnOutput(this, 'Missing', {
        value: 'model-gateway.lambda.ts not present: workers run without a model gateway (offline generator)',
      });
      return;
    }
    this.gateway = props.makeFunction('ModelGatewayFunction', {
      entry: props.entry,
      description: 'Hangar: model gateway for builder workers (streams model responses)',
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment: props.environment,
    });
    const url = this.gateway.fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });
    this.url = url.url;
  }
}
