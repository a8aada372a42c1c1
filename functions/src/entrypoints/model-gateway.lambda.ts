import { awsComposition } from './aws-composition';
import { createModelGatewayStreamingHandler, lambdaStreamingRuntime } from './model-gateway-lambda-handler';

const runtime = lambdaStreamingRuntime();
if (!runtime) throw new Error('model-gateway.lambda.ts runs only in the Lambda Node.js runtime (awslambda.streamifyResponse is missing).');

/**
 * The model gateway as a Lambda function URL with `InvokeMode: RESPONSE_STREAM` and auth type
 * NONE: the run token in `Authorization` is the credential, checked by the app. This function's
 * role holds the model permission (Bedrock InvokeModelWithResponseStream, or the Anthropic key's
 * secret); the worker task role holds none.
 */
export const handler = createModelGatewayStreamingHandler(async () => (await awsComposition()).app, runtime);
