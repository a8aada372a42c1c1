import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context as LambdaContext } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { AppEnv } from '../http/app-env';
import { onceSuccessful } from './once-successful';

type HttpHandler = (event: APIGatewayProxyEventV2, context: LambdaContext) => Promise<APIGatewayProxyResultV2>;

/**
 * Wraps the Hono app for API Gateway HTTP APIs (payload v2) with middy. The app is resolved
 * once per container, and again after a failed resolution (a cold start that failed is retried
 * by the next invocation); errors are already JSON responses by then, so nothing is swallowed here.
 */
export function createHttpLambdaHandler(app: () => Hono<AppEnv> | Promise<Hono<AppEnv>>) {
  const resolve = onceSuccessful(async () => handle(await app()) as unknown as HttpHandler);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().handler(async (event, context) => (await resolve())(event, context));
}
