import { EventEmitter, once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { limits } from '@hangar/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketEvent, WebSocketRouteKey } from '../realtime/websocket-event';
import { ApiGatewayConnectionPusher } from './apigateway-connection-pusher';
import { startLocalWebSocketGateway } from './local-websocket-gateway';
import type { LocalWebSocketGateway } from './local-websocket-gateway';

const accessKeyId = 'LOCALTESTKEY';

interface Harness {
  gateway: LocalWebSocketGateway;
  server: Server;
  url: string;
  client: ApiGatewayManagementApiClient;
  logs: string[];
  /** Resolves with the first recorded event on `routeKey` that matches. */
  nextEvent(routeKey: WebSocketRouteKey, matches?: (event: WebSocketEvent) => boolean): Promise<WebSocketEvent>;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHarness(): Promise<Harness> {
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const events: WebSocketEvent[] = [];
  const recorded = new EventEmitter();
  const record = (event: WebSocketEvent) => {
    events.push(event);
    recorded.emit('event', event);
  };
  const logs: string[] = [];
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId },
    log: (message) => logs.push(message),
    handlers: {
      connect: (event) => {
        record(event);
        return Promise.resolve({ statusCode: event.queryStringParameters?.deny === '1' ? 401 : 200 });
      },
      message: (event) => {
        record(event);
        if (event.body === 'throw') return Promise.reject(new Error('handler exploded'));
        return Promise.resolve({ statusCode: 200 });
      },
      disconnect: (event) => {
        record(event);
        return Promise.resolve({ statusCode: 200 });
      },
    },
  });
  cleanups.push(() => gateway.close());

  const client = new ApiGatewayManagementApiClient({
    endpoint: gateway.managementEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
  cleanups.push(() => client.destroy());

  const nextEvent = (routeKey: WebSocketRouteKey, matches: (event: WebSocketEvent) => boolean = () => true) =>
    new Promise<WebSocketEvent>((resolve) => {
      const isWanted = (event: WebSocketEvent) => event.requestContext.routeKey === routeKey && matches(event);
      const existing = events.find(isWanted);
      if (existing !== undefined) return resolve(existing);
      const listener = (event: WebSocketEvent) => {
        if (!isWanted(event)) return;
        recorded.off('event', listener);
        resolve(event);
      };
      recorded.on('event', listener);
    });

  const { port } = server.address() as AddressInfo;
  return { gateway, server, url: `ws://127.0.0.1:${port}/ws`, client, logs, nextEvent };
}

/** Opens a client and waits for its `$connect` event, which carries the connection id. */
async function connect(harness: Harness, query = '', headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${harness.url}${query}`, { headers });
  cleanups.push(() => socket.terminate());
  const messages: { data: Buffer; isBinary: boolean }[] = [];
  socket.on('message', (data: Buffer, isBinary) => messages.push({ data, isBinary }));
  await once(socket, 'open');
  const connectEvent = await harness.nextEvent('$connect', (event) => event.headers?.['x-test-client'] === headers['x-test-client']);
  return { socket, connectionId: connectEvent.requestContext.connectionId, connectEvent, messages };
}

function nextMessage(socket: WebSocket): Promise<{ text: string; isBinary: boolean }> {
  return once(socket, 'message').then(([data, isBinary]) => ({ text: String(data), isBinary: isBinary === true }));
}

function rawManagementRequest(
  endpoint: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('local WebSocket gateway', () => {
  it('sends an API Gateway shaped $connect event', async () => {
    const harness = await startHarness();
    const { connectionId, connectEvent } = await connect(harness, '?workspace=w1&tag=a&tag=b', {
      cookie: 'hangar_session=abc',
      origin: 'http://localhost:5173',
      'x-test-client': 'shape',
      'user-agent': 'vitest',
    });

    expect(connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(connectEvent.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      connectionId,
      stage: 'local',
      messageDirection: 'IN',
      identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' },
    });
    expect(connectEvent.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(connectEvent.headers?.cookie).toBe('hangar_session=abc');
    expect(connectEvent.headers?.origin).toBe('http://localhost:5173');
    expect(connectEvent.multiValueHeaders?.cookie).toEqual(['hangar_session=abc']);
    expect(connectEvent.queryStringParameters).toEqual({ workspace: 'w1', tag: 'b' });
    expect(connectEvent.multiValueQueryStringParameters).toEqual({ workspace: ['w1'], tag: ['a', 'b'] });
    expect(connectEvent.isBase64Encoded).toBe(false);
    expect(harness.gateway.connectionCount()).toBe(1);
  });

  it('refuses the upgrade with the status a failing $connect returns', async () => {
    const harness = await startHarness();
    const socket = new WebSocket(`${harness.url}?deny=1`);
    socket.on('error', () => undefined);
    const [request, response] = (await once(socket, 'unexpected-response')) as [{ destroy(): void }, IncomingMessage];
    request.destroy();

    expect(response.statusCode).toBe(401);
    expect((await harness.nextEvent('$connect')).queryStringParameters).toEqual({ deny: '1' });
    expect(harness.gateway.connectionCount()).toBe(0);
  });

  it('turns frames into $default events and survives handler errors', async () => {
    const harness = await startHarness();
    const { socket, connectionId } = await connect(harness);

    socket.send('throw');
    await harness.nextEvent('$default', (event) => event.body === 'throw');
    socket.send('{"type":"ping"}');
    const text = await harness.nextEvent('$default', (event) => event.body === '{"type":"ping"}');
    socket.send(Buffer.from([0, 1, 2, 255]), { binary: true });
    const binary = await harness.nextEvent('$default', (event) => event.isBase64Encoded);

    expect(text.requestContext).toMatchObject({ routeKey: '$default', eventType: 'MESSAGE', connectionId });
    expect(text.requestContext.messageId).toEqual(expect.any(String));
    expect(text.isBase64Encoded).toBe(false);
    expect(binary.body).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));
    expect(harness.logs.some((line) => line.includes('handler exploded'))).toBe(true);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('serves PostToConnection, GetConnection and DeleteConnection to the real SDK client', async () => {
    const harness = await startHarness();
    const { socket, connectionId } = await connect(harness, '', { 'user-agent': 'sdk-test' });

    const received = nextMessage(socket);
    await harness.client.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode('{"type":"hello"}') }),
    );
    expect(await received).toEqual({ text: '{"type":"hello"}', isBinary: false });

    const connection = await harness.client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(connection.ConnectedAt).toBeInstanceOf(Date);
    expect(connection.LastActiveAt).toBeInstanceOf(Date);
    expect(connection.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'sdk-test' });

    const closed = once(socket, 'close');
    await harness.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    const [code] = (await closed) as [number];
    const disconnect = await harness.nextEvent('$disconnect');

    expect(code).toBe(1000);
    expect(disconnect.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId });
    expect(harness.gateway.connectionCount()).toBe(0);
  });

  it('answers GoneException for unknown connections', async () => {
    const harness = await startHarness();
    const error: unknown = await harness.client
      .send(new PostToConnectionCommand({ ConnectionId: 'bm9uZXhpc3RlbnQ=', Data: new Uint8Array([1]) }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('GoneException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(410);
  });

  it('refuses management requests signed with another access key', async () => {
    const harness = await startHarness();
    const { connectionId } = await connect(harness);
    const intruder = new ApiGatewayManagementApiClient({
      endpoint: harness.gateway.managementEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'SOMEONEELSE', secretAccessKey: 'local' },
    });
    cleanups.push(() => intruder.destroy());

    const error: unknown = await intruder
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new Uint8Array([1]) }))
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('ForbiddenException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(403);

    // A browser cannot add SigV4 headers without a CORS preflight, which the API never grants.
    const unsigned = await rawManagementRequest(harness.gateway.managementEndpoint, {
      method: 'POST',
      path: `/local/@connections/${encodeURIComponent(connectionId)}`,
      body: Buffer.from('x'),
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(JSON.parse(unsigned.body)).toEqual({ message: 'Forbidden' });
  });

  it('answers 413, 404 and 405 for oversized bodies, other paths and other methods', async () => {
    const harness = await startHarness();
    const { connectionId } = await connect(harness);
    const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/execute-api/aws4_request`;
    const path = `/local/@connections/${encodeURIComponent(connectionId)}`;
    const endpoint = harness.gateway.managementEndpoint;

    const tooLarge = await rawManagementRequest(endpoint, {
      method: 'POST',
      path,
      headers: { authorization },
      body: Buffer.alloc(128 * 1024 + 1, 0x61),
    });
    const otherPath = await rawManagementRequest(endpoint, { method: 'GET', path: '/other/@connections/x', headers: { authorization } });
    const otherMethod = await rawManagementRequest(endpoint, { method: 'PUT', path, headers: { authorization } });

    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['x-amzn-errortype']).toBe('PayloadTooLargeException');
    expect(otherPath.status).toBe(404);
    expect(otherMethod.status).toBe(405);
    expect(JSON.parse(otherMethod.body)).toEqual({ message: 'Method Not Allowed' });
  });

  it('closes connections that send an oversized frame with 1009', async () => {
    const harness = await startHarness();
    const { socket, connectionId } = await connect(harness);
    const closed = once(socket, 'close');

    socket.send('x'.repeat(limits.maxWebSocketMessageBytes + 1));
    const [code] = (await closed) as [number];
    const disconnect = await harness.nextEvent('$disconnect');

    expect(code).toBe(1009);
    expect(disconnect.requestContext).toMatchObject({ connectionId, disconnectStatusCode: 1009 });
  });

  it('refuses upgrades on other paths only when no other listener owns them', async () => {
    const harness = await startHarness();
    const { port } = harness.server.address() as AddressInfo;

    const refused = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
    refused.on('error', () => undefined);
    const [, response] = (await once(refused, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(response.statusCode).toBe(404);

    const otherListener = (request: IncomingMessage, socket: Duplex) => {
      if (request.url === '/hmr') socket.end("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n");
    };
    harness.server.on('upgrade', otherListener);
    const owned = new WebSocket(`ws://127.0.0.1:${port}/hmr`);
    owned.on('error', () => undefined);
    const [, ownedResponse] = (await once(owned, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(ownedResponse.statusCode).toBe(418);
  });

  it('sends $disconnect to every connection when it closes', async () => {
    const harness = await startHarness();
    const first = await connect(harness, '', { 'x-test-client': 'one' });
    const second = await connect(harness, '', { 'x-test-client': 'two' });
    const firstClosed = once(first.socket, 'close');

    await harness.gateway.close();

    const ids = [first.connectionId, second.connectionId];
    for (const id of ids) await harness.nextEvent('$disconnect', (event) => event.requestContext.connectionId === id);
    const [code] = (await firstClosed) as [number];
    expect(code).toBe(1001);
    expect(harness.gateway.connectionCount()).toBe(0);
  });
});

describe('ApiGatewayConnectionPusher against the local gateway', () => {
  it("posts JSON, then reports 'gone' once the client has left", async () => {
    const harness = await startHarness();
    const pusher = new ApiGatewayConnectionPusher({ client: harness.client });
    const { socket, connectionId } = await connect(harness);

    const received = nextMessage(socket);
    expect(await pusher.post(connectionId, { type: 'data.changed', id: 7 })).toBe('sent');
    expect(JSON.parse((await received).text)).toEqual({ type: 'data.changed', id: 7 });

    socket.close();
    await harness.nextEvent('$disconnect', (event) => event.requestContext.connectionId === connectionId);
    expect(await pusher.post(connectionId, { type: 'data.changed' })).toBe('gone');
    await expect(pusher.disconnect(connectionId)).resolves.toBeUndefined();
  });

  it('builds its own client from endpoint, region and credentials', async () => {
    const harness = await startHarness();
    const pusher = new ApiGatewayConnectionPusher({
      endpoint: harness.gateway.managementEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'local' },
    });
    const { socket, connectionId } = await connect(harness);

    const closed = once(socket, 'close');
    await pusher.disconnect(connectionId);
    await closed;
    expect(await pusher.post(connectionId, 'late')).toBe('gone');
  });
});
