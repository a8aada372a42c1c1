import { afterEach, describe, expect, it } from 'vitest';
import { GatewayModelProvider } from './gateway-model-provider';
import { ModelError } from './model-error';
import { startLocalModelServer, type LocalModelServer, type Responder } from './testing/local-model-server';
import { drain, sampleRequest } from './testing/sample-request';

// The real gateway is exercised in functions/src/http/api-model-gateway.test.ts; these are the
// answers a real gateway never gives but a proxy, a bug or a version skew could.
let server: LocalModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failureFrom(respond: Responder): Promise<ModelError> {
  server = await startLocalModelServer(respond);
  const provider = new GatewayModelProvider({ controlPlaneUrl: server.url, runId: 'run_1', runToken: 'token' });
  const error: unknown = await drain(provider.stream(sampleRequest())).catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

const ndjson = (lines: string[]): Responder => (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  response.end(lines.map((line) => `${line}\n`).join(''));
};

describe('GatewayModelProvider', () => {
  it('posts the request without a model name, with the run token', async () => {
    server = await startLocalModelServer(ndjson(['{"type":"message.stop","stopReason":"end_turn"}']));
    const provider = new GatewayModelProvider({ controlPlaneUrl: `${server.url}/`, runId: 'run_1', runToken: 'token' });
    expect(await drain(provider.stream(sampleRequest()))).toEqual([{ type: 'message.stop', stopReason: 'end_turn' }]);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/internal/runs/run_1/model', headers: { authorization: 'Bearer token' } });
    expect(request?.body).not.toHaveProperty('model');
  });

  it('refuses a line that is not a protocol event, without retrying', async () => {
    const error = await failureFrom(ndjson(['{"type":"text.delta","text":"hi","extra":1}']));
    expect(error).toMatchObject({ kind: 'unknown', retryable: false });
    expect(error.message).toBe("The control plane's model gateway sent an event of an unexpected shape.");
    expect((await failureFrom(ndjson(['not json']))).retryable).toBe(false);
  });

  it('turns an error line into the typed error it describes', async () => {
    const error = await failureFrom(
      ndjson([
        '{"type":"text.delta","text":"partial"}',
        '{"type":"error","kind":"overloaded","message":"Anthropic is overloaded (HTTP 529).","retryable":true,"status":529,"retryAfterMs":2000}',
      ]),
    );
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true, status: 529, retryAfterMs: 2000, message: 'Anthropic is overloaded (HTTP 529).' });
  });

  it('treats a stream without message.stop as a dropped connection, and a proxy 502 page as a retryable server error', async () => {
    expect(await failureFrom(ndjson(['{"type":"text.delta","text":"partial"}']))).toMatchObject({ kind: 'network', retryable: true });
    const proxy = await failureFrom((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad gateway</html>');
    });
    expect(proxy).toMatchObject({ kind: 'server', retryable: true, status: 502, message: "The control plane's model gateway answered HTTP 502." });
  });

  it('reads a spend limit refusal as final, with the control plane’s sentence', async () => {
    const error = await failureFrom((_request, response) => {
      response.writeHead(402, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'spend_limit_reached', message: 'This workspace has used $100.00 of its $100.00 model budget.' } }));
    });
    expect(error).toMatchObject({ kind: 'spend_limit', retryable: false, message: 'This workspace has used $100.00 of its $100.00 model budget.' });
  });
});
