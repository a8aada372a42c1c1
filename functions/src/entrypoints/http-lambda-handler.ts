import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context as LambdaContext } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { AppEnv } from '../http/app-env';

type HttpHandler = (event: APIGatewayProxyEventV2, context: LambdaContext) => Promise<APIGatewayProxyResultV2>;

/**
 * Wraps the Hono app for API Gateway HTTP APIs (payload v2) with middy. The app is resolved
 * once per container; errors are already JSON responses by then, so nothing is swallowed here.
 */
export function createHttpLambdaHandler(app: () => Hono<AppEnv> | Promise<Hono<AppEnv>>) {
  let adapted: Promise<HttpHandler> | null = null;
  const resolve = () => (adapted ??= Promise.resolve(app()).then((ready) => handle(ready) as unknown as HttpHandler));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().handler(async (event, context) => (await resolve())(event, context));
}
