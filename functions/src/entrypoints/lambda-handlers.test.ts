import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../http/testing';
import type { WebSocketEvent, WebSocketHandlers } from '../realtime/websocket-event';
import { createHttpLambdaHandler } from './http-lambda-handler';
import { createWebSocketLambdaHandler } from './websocket-lambda-handler';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8')) as APIGatewayProxyEventV2;
const context = { awsRequestId: 'req-1', functionName: 'hangar-http', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('HTTP Lambda entry point (API Gateway v2 events)', () => {
  let test: TestApp;
  beforeAll(async () => {
    // The fixtures come from the API's own https origin, configured as the console's.
    test = await createTestApp({ allowedOrigins: ['https://abc123.execute-api.eu-west-1.amazonaws.com'] });
  });
  afterAll(() => test.close());

  it('answers GET /api/health', async () => {
    const handler = createHttpLambdaHandler(() => test.app);
    const result = (await handler(fixture('apigw-v2-get-health.json'), context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ status: 'ok', authMode: 'none' });
    expect(result.headers?.['cache-control']).toBe('no-store');
  });

  it('decodes a base64 body, runs the same validation and sets a Secure cookie behind https', async () => {
    const handler = createHttpLambdaHandler(() => test.app);
    const result = (await handler(fixture('apigw-v2-post-sign-in.json'), context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ identity: { email: 'ada@example.com' } });
    const cookies = [...(result.cookies ?? []), String(result.headers?.['set-cookie'] ?? '')].join(';');
    expect(cookies).toMatch(/hangar_session=.+Secure/);
  });

  it('retries a cold start that failed instead of failing every later invocation', async () => {
    let attempts = 0;
    const handler = createHttpLambdaHandler(() => (++attempts === 1 ? Promise.reject(new Error('store not reachable yet')) : test.app));
    await expect(handler(fixture('apigw-v2-get-health.json'), context)).rejects.toThrow('store not reachable yet');
    const result = (await handler(fixture('apigw-v2-get-health.json'), context)) as APIGatewayProxyStructuredResultV2;
    expect([result.statusCode, attempts]).toEqual([200, 2]);
  });

  it('answers bad input from API Gateway with a 4xx JSON error', async () => {
    const handler = createHttpLambdaHandler(() => test.app);
    const event = { ...fixture('apigw-v2-post-sign-in.json'), body: '{"name":', isBase64Encoded: false };
    const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body ?? '') as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('malformed_json');
    expect(body.error.message.length).toBeGreaterThan(0);
  });
});

describe('WebSocket Lambda entry point', () => {
  it('routes $connect, $default and $disconnect to their handlers', async () => {
    const seen: string[] = [];
    const handlers: WebSocketHandlers = {
      connect: (event) => Promise.resolve({ statusCode: seen.push(`connect:${event.requestContext.connectionId}`) && 200 }),
      message: (event) => Promise.resolve({ statusCode: seen.push(`message:${event.body ?? ''}`) && 200 }),
      disconnect: () => Promise.resolve({ statusCode: seen.push('disconnect') && 200 }),
    };
    const handler = createWebSocketLambdaHandler(() => handlers);
    const base = {
      requestContext: { connectionId: 'Ab12Cd34Ef56Gh=', domainName: 'ws.example.com', stage: 'prod' },
      isBase64Encoded: false,
    };
    const event = (routeKey: string, body?: string) =>
      ({ ...base, ...(body ? { body } : {}), requestContext: { ...base.requestContext, routeKey } }) as unknown as WebSocketEvent;
    expect((await handler(event('$connect'), context)).statusCode).toBe(200);
    await handler(event('$default', '{"type":"session.ping"}'), context);
    await handler(event('$disconnect'), context);
    expect(seen).toEqual(['connect:Ab12Cd34Ef56Gh=', 'message:{"type":"session.ping"}', 'disconnect']);
  });
});
