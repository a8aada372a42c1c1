import { awsComposition } from './aws-composition';
import { createHttpLambdaHandler } from './http-lambda-handler';

/** API Gateway HTTP API → the Hono app. */
export const handler = createHttpLambdaHandler(async () => (await awsComposition()).app);
