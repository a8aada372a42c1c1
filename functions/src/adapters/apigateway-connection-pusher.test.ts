import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushFailedError } from '../ports/connection-pusher';
import { ApiGatewayConnectionPusher } from './apigateway-connection-pusher';

/** A management API that answers each connection id with the status its name asks for. */
describe('API Gateway pusher: only a 410 means gone (real SDK client against a local endpoint)', () => {
  let server: Server;
  let pusher: ApiGatewayConnectionPusher;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const status = Number(/status-(\d{3})/.exec(decodeURIComponent(request.url ?? ''))?.[1] ?? 200);
      request.resume();
      request.once('end', () => {
        if (status === 410) response.writeHead(410, { 'x-amzn-errortype': 'GoneException', 'content-type': 'application/json' });
        else if (status !== 200) response.writeHead(status, { 'content-type': 'application/json' });
        else response.writeHead(200);
        response.end(status === 200 ? '' : JSON.stringify({ message: `status ${status}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pusher = new ApiGatewayConnectionPusher({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/test`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'TEST', secretAccessKey: 'test' },
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers sent for 200 and gone for 410', async () => {
    expect(await pusher.post('status-200', { hello: 1 })).toBe('sent');
    expect(await pusher.post('status-410', { hello: 1 })).toBe('gone');
    await pusher.disconnect('status-410');
  });

  it('rejects other failures with PushFailedError: 5xx and 429 retryable, other 4xx not; each tried once', async () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [413, false],
      [403, false],
    ] as const) {
      const before = requests.length;
      const error = await pusher.post(`status-${status}`, {}).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(PushFailedError);
      expect({ status: (error as PushFailedError).status, retryable: (error as PushFailedError).retryable }).toEqual({ status, retryable });
      // The retry policy is push-delivery's alone: the SDK does not retry on its own.
      expect(requests.length - before).toBe(1);
    }
  });

  it('treats a refused connection as a retryable failure', async () => {
    const unreachable = new ApiGatewayConnectionPusher({
      endpoint: 'http://127.0.0.1:1/test',
      region: 'us-east-1',
      credentials: { accessKeyId: 'TEST', secretAccessKey: 'test' },
    });
    const error = await unreachable.post('any', {}).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(PushFailedError);
    expect((error as PushFailedError).retryable).toBe(true);
  });
});
