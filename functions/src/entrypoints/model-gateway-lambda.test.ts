import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Context as LambdaContext, LambdaFunctionURLEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelStreamEvent, type CreateAppResponse, type WorkspaceSummary } from '@hangar/protocol';
import { createTestApp, testOrigin } from '../http/testing';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';
import { createModelGatewayStreamingHandler, lambdaStreamingRuntime, type StreamingRuntime } from './model-gateway-lambda-handler';
import { modelConfigurationFromEnvironment } from './model-configuration';

/** A response stream like the runtime's: collects what is written, records the metadata sent first. */
class CollectingStream extends Writable {
  readonly chunks: Buffer[] = [];
  metadata: { statusCode: number; headers: Record<string, string> } | null = null;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.chunks.push(chunk);
    callback();
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  setContentType(contentType: string) {
    this.metadata = { statusCode: this.metadata?.statusCode ?? 200, headers: { ...this.metadata?.headers, 'content-type': contentType } };
  }
}

const testRuntime: StreamingRuntime = {
  streamifyResponse: (handler) => handler,
  withMetadata: (stream, metadata) => {
    (stream as CollectingStream).metadata = metadata;
    return stream;
  },
};

function urlEvent(method: string, rawPath: string, headers: Record<string, string>, body?: string): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc.lambda-url.eu-west-1.on.aws', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'worker' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:20:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: body !== undefined,
    ...(body !== undefined ? { body: Buffer.from(body).toString('base64') } : {}),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('model gateway Lambda (function URL, response streaming)', () => {
  it('is not available outside the Lambda runtime, so tests pass their own', () => {
    expect(lambdaStreamingRuntime()).toBeNull();
  });

  it('streams the gateway NDJSON through the response stream, with status and headers first', async () => {
    const blobDir = mkdtempSync(join(tmpdir(), 'hangar-gateway-lambda-'));
    const launched: RunSpec[] = [];
    const launcher: RunLauncher = {
      kind: 'recording',
      launch: (spec) => Promise.resolve(void launched.push(spec)),
      stop: () => Promise.resolve(),
    };
    const test = await createTestApp({
      builder: { launcher, blobDir, models: modelConfigurationFromEnvironment({ HANGAR_MODEL_PROVIDER: 'offline' }) },
    });
    cleanups.push(async () => {
      await test.close();
      rmSync(blobDir, { recursive: true, force: true });
    });
    const owner = await test.signIn('Olive', 'olive@example.com');
    const workspace = (await (await owner.request('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    const prompt = 'A tracker for customer leads with name and email';
    const created = (await (await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt })).json()) as CreateAppResponse;
    const spec = launched[0]!;
    await test.app.request(`${testOrigin}/internal/runs/${spec.runId}/started`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spec.runToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workerId: 'w1', provider: 'offline', model: 'offline-generator-1' }),
    });

    let compositions = 0;
    const handler = createModelGatewayStreamingHandler(() => {
      compositions++;
      return Promise.resolve(test.app);
    }, testRuntime);
    const body = JSON.stringify({
      system: 'You build apps.',
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      tools: [],
      maxTokens: 4096,
    });
    const stream = new CollectingStream();
    await handler(
      urlEvent(
        'POST',
        `/internal/runs/${created.run.id}/model`,
        { authorization: `Bearer ${spec.runToken}`, 'content-type': 'application/json' },
        body,
      ),
      stream,
      {} as LambdaContext,
    );
    expect(stream.metadata).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/x-ndjson' } });
    const events = stream
      .text()
      .trim()
      .split('\n')
      .map((line) => ModelStreamEvent.parse(JSON.parse(line)));
    expect(events.at(-1)).toEqual({ type: 'message.stop', stopReason: 'tool_use' });
    expect(events.some((event) => event.type === 'tool_call.complete' && event.name === 'present_plan')).toBe(true);

    // Anything but the gateway is not served here; a wrong token is the app's 401.
    const other = new CollectingStream();
    await handler(urlEvent('GET', '/api/workspaces', {}), other, {} as LambdaContext);
    expect(other.metadata?.statusCode).toBe(404);
    const forged = new CollectingStream();
    await handler(
      urlEvent(
        'POST',
        `/internal/runs/${created.run.id}/model`,
        { authorization: 'Bearer nope', 'content-type': 'application/json' },
        body,
      ),
      forged,
      {} as LambdaContext,
    );
    expect(forged.metadata?.statusCode).toBe(401);
    expect(JSON.parse(forged.text())).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(compositions).toBe(1);
  });
});
