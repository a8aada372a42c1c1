import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAppResponse, WorkspaceSummary } from '@hangar/protocol';
import { GatewayModelProvider } from '@hangar/worker-container/model/gateway-model-provider';
import { ModelError } from '@hangar/worker-container/model/model-error';
import type { ModelEvent } from '@hangar/worker-container/model/model-provider';
import { readFixture } from '@hangar/worker-container/model/testing/fixtures';
import {
  answerJson,
  replayServerSentEvents,
  startLocalModelServer,
  type LocalModelServer,
  type Responder,
} from '@hangar/worker-container/model/testing/local-model-server';
import { drain, sampleRequest } from '@hangar/worker-container/model/testing/sample-request';
import { anthropicSse } from '@hangar/worker-container/model/testing/anthropic-sse';
import { runAgentLoop } from '@hangar/worker-container/agent/agent-loop';
import { RecordingRunSink } from '@hangar/worker-container/agent/run-sink';
import { ManualTimers } from '@hangar/worker-container/agent/testing/manual-timers';
import { modelConfigurationFromEnvironment } from '../entrypoints/model-configuration';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';
import { createTestApp, testOrigin } from './testing';

const anthropicFixture = readFixture('anthropic-thinking-text-tool-use.sse');
const openAiFixture = readFixture('openai-compatible-tool-call.sse');
const providerKey = 'sk-ant-control-plane-only';

class RecordingLauncher implements RunLauncher {
  readonly kind = 'recording';
  readonly launched: RunSpec[] = [];
  launch(spec: RunSpec) {
    this.launched.push(spec);
    return Promise.resolve();
  }
  stop() {
    return Promise.resolve();
  }
}

interface Gateway {
  url: string;
  spec: RunSpec;
  workspaceId: string;
  test: Awaited<ReturnType<typeof createTestApp>>;
  provider(options?: { runToken?: string }): GatewayModelProvider;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeModelApi(respond: Responder): Promise<LocalModelServer> {
  const server = await startLocalModelServer(respond);
  cleanups.push(() => server.close());
  return server;
}

/** The real app, served over HTTP, with one running run whose token the worker would hold. */
async function startGateway(env: Record<string, string>, prompt = 'A tracker for customer leads with name and email'): Promise<Gateway> {
  const blobDir = mkdtempSync(join(tmpdir(), 'hangar-gateway-'));
  const launcher = new RecordingLauncher();
  const test = await createTestApp({ builder: { launcher, blobDir, models: modelConfigurationFromEnvironment(env) } });
  cleanups.push(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });
  const server = createAdaptorServer({ fetch: test.app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await test.signIn('Olive', 'olive@example.com');
  const workspace = (await (await owner.request('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
  const created = (await (await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt })).json()) as CreateAppResponse;
  const spec = launcher.launched.find((launched) => launched.runId === created.run.id);
  if (!spec) throw new Error('the run was not launched');
  const started = await test.app.request(`${testOrigin}/internal/runs/${spec.runId}/started`, {
    method: 'POST',
    headers: { authorization: `Bearer ${spec.runToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ workerId: 'w1', provider: 'gateway', model: 'x' }),
  });
  expect(started.status).toBe(204);
  return {
    url,
    spec,
    workspaceId: workspace.id,
    test,
    provider: (options = {}) =>
      new GatewayModelProvider({ controlPlaneUrl: url, runId: spec.runId, runToken: options.runToken ?? spec.runToken }),
  };
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

const anthropic = (server: LocalModelServer, extra: Record<string, string> = {}) => ({
  HANGAR_MODEL_PROVIDER: 'anthropic',
  ANTHROPIC_API_KEY: providerKey,
  ANTHROPIC_BASE_URL: server.url,
  ...extra,
});

describe('model gateway over HTTP', () => {
  it('streams a real Anthropic SSE response through the gateway: the key and the model stay on the control plane', async () => {
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, anthropicFixture));
    const gateway = await startGateway(anthropic(api));

    expect(await gateway.provider().choice()).toEqual({ provider: 'anthropic', model: 'claude-sonnet-5-5', offline: false });
    const events = await drain(gateway.provider().stream(sampleRequest({ model: 'ignored-by-the-gateway' })));

    const [upstream] = api.requests;
    expect([providerKey, `Bearer ${providerKey}`]).toContain(upstream?.headers['x-api-key'] ?? upstream?.headers.authorization);
    expect(upstream?.body).toMatchObject({ model: 'claude-sonnet-5-5', stream: true, max_tokens: 4096 });
    expect(events.map((event) => event.type)).toEqual([
      'reasoning.delta',
      'reasoning.delta',
      'reasoning.delta',
      'reasoning.complete',
      'text.delta',
      'text.delta',
      'text.delta',
      'tool_call.start',
      'tool_call.input_delta',
      'tool_call.input_delta',
      'tool_call.input_delta',
      'tool_call.input_delta',
      'tool_call.complete',
      'usage',
      'message.stop',
    ]);
    expect(events.at(-2)).toEqual<ModelEvent>({
      type: 'usage',
      inputTokens: 2095,
      outputTokens: 118,
      cacheReadTokens: 1803,
      cacheWriteTokens: 0,
    });

    // Usage is counted per run and per workspace and month, with the estimated cost.
    const models = gateway.test.builder.models;
    const runUsage = await models.runUsage(gateway.spec.runId);
    expect(runUsage).toMatchObject({ calls: 1, inputTokens: 2095, outputTokens: 118, cacheReadTokens: 1803, unpricedCalls: 0 });
    expect(runUsage?.costUsd).toBeGreaterThan(0);
    const month = new Date().toISOString().slice(0, 7);
    expect(await models.workspaceUsage(gateway.workspaceId, month)).toMatchObject({ calls: 1, inputTokens: 2095 });
  });

  it('passes 529 with retry-after through as a retryable error that says so in a sentence', async () => {
    const api = await fakeModelApi((_request, response) => {
      response.setHeader('retry-after', '7');
      answerJson(response, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    });
    const gateway = await startGateway(anthropic(api));
    const error = await failure(drain(gateway.provider().stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true, status: 529, retryAfterMs: 7000 });
    expect(error.message).toBe('Anthropic is overloaded (HTTP 529). It said: Overloaded.');
    // One upstream call: the SDK's own retries are off, so every wait is the agent loop's and visible.
    expect(api.requests).toHaveLength(1);
  });

  it('passes a 400 through as not retryable', async () => {
    const api = await fakeModelApi((_request, response) =>
      answerJson(response, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: roles must alternate' } }),
    );
    const gateway = await startGateway(anthropic(api));
    const error = await failure(drain(gateway.provider().stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, status: 400 });
    expect(error.message).not.toContain('{');
  });

  it('delivers the events before an error event in the middle of the stream, then the retryable error', async () => {
    const head = anthropicFixture.slice(0, anthropicFixture.indexOf('event: content_block_stop'));
    const sse = `${head}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, sse));
    const gateway = await startGateway(anthropic(api));
    const received: ModelEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of gateway.provider().stream(sampleRequest())) received.push(event);
      })(),
    );
    expect(received.map((event) => event.type)).toEqual(['reasoning.delta', 'reasoning.delta', 'reasoning.delta']);
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true });
  });

  it('reports a connection the provider drops mid-response as a retryable network error, not "terminated"', async () => {
    const head = anthropicFixture.slice(0, anthropicFixture.indexOf('event: content_block_stop'));
    const api = await fakeModelApi((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(head, () => response.destroy());
    });
    const gateway = await startGateway(anthropic(api));
    const error = await failure(drain(gateway.provider().stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toBe('The connection to Anthropic dropped in the middle of the response.');
  });

  it('aborts the provider call when the worker goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const api = await fakeModelApi((_request, response) => {
      response.on('close', () => upstreamClosed());
      replayServerSentEvents(response, anthropicFixture, { stallAfterEvents: 4 });
    });
    const gateway = await startGateway(anthropic(api));
    const controller = new AbortController();
    const error = await failure(
      (async () => {
        for await (const event of gateway.provider().stream(sampleRequest({ signal: controller.signal }))) {
          if (event.type === 'reasoning.delta') controller.abort();
        }
      })(),
    );
    expect(error.kind).toBe('aborted');
    await closed;
    // The abandoned call is still recorded (it may have been billed).
    await expect.poll(async () => (await gateway.test.builder.models.runUsage(gateway.spec.runId))?.calls).toBe(1);
  });

  it('refuses calls once the workspace reached its monthly spend limit, with a typed error and a sentence', async () => {
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, anthropicFixture));
    const gateway = await startGateway(anthropic(api, { HANGAR_MONTHLY_SPEND_LIMIT_USD: '0.001' }));
    await drain(gateway.provider().stream(sampleRequest()));
    const error = await failure(drain(gateway.provider().stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'spend_limit', retryable: false, status: 402 });
    expect(error.message).toMatch(
      /^This workspace has used \$0\.0086 of its \$0\.0010 model budget for \d{4}-\d{2}, so no more model calls are made this month\./,
    );
    expect(api.requests).toHaveLength(1);
  });

  it('answers 401 to a token of another run and to no token, before calling the provider', async () => {
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, anthropicFixture));
    const gateway = await startGateway(anthropic(api));
    const error = await failure(drain(gateway.provider({ runToken: 'forged.token' }).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    const bare = await fetch(`${gateway.url}/internal/runs/${gateway.spec.runId}/model`, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(401);
    expect(api.requests).toHaveLength(0);
  });

  it('validates the request body with the protocol schema (400, not 500) and takes bodies over the other internal routes’ 2 MiB cap', async () => {
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, anthropicFixture));
    const gateway = await startGateway(anthropic(api));
    const post = (body: unknown) =>
      fetch(`${gateway.url}/internal/runs/${gateway.spec.runId}/model`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.spec.runToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const invalid = await post({ system: '', messages: [], tools: [], maxTokens: 10, model: 'claude-opus-4-8' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('validation_failed');

    const big = 'x'.repeat(3 * 1024 * 1024);
    const large = sampleRequest({ messages: [{ role: 'user', content: [{ type: 'text', text: big }] }] });
    const events = await drain(gateway.provider().stream(large));
    expect(events.at(-1)).toEqual({ type: 'message.stop', stopReason: 'tool_use' });
  });

  it('runs an OpenAI-compatible server behind the gateway', async () => {
    const api = await fakeModelApi((_request, response) => replayServerSentEvents(response, openAiFixture));
    const gateway = await startGateway({
      HANGAR_MODEL_PROVIDER: 'openai',
      HANGAR_OPENAI_BASE_URL: `${api.url}/v1`,
      HANGAR_MODEL: 'qwen-test',
    });
    expect((await gateway.provider().choice()).model).toBe('qwen-test');
    const events = await drain(gateway.provider().stream(sampleRequest()));
    expect(events.at(-1)?.type).toBe('message.stop');
    expect(api.requests[0]?.path).toBe('/v1/chat/completions');
    expect(api.requests[0]?.body).toMatchObject({ model: 'qwen-test' });
  });

  it('runs the offline generator and a scripted file behind the gateway, with the turn chosen by the conversation', async () => {
    const offline = await startGateway({ HANGAR_MODEL_PROVIDER: 'offline' });
    expect(await offline.provider().choice()).toEqual({ provider: 'offline', model: 'offline-generator-1', offline: true });
    const offlineEvents = await drain(
      offline
        .provider()
        .stream(
          sampleRequest({
            messages: [{ role: 'user', content: [{ type: 'text', text: 'A tracker for customer leads with name and email' }] }],
          }),
        ),
    );
    expect(offlineEvents.some((event) => event.type === 'tool_call.complete' && event.name === 'present_plan')).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'hangar-script-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'turns.json');
    writeFileSync(file, JSON.stringify({ 'Say hi': [{ tools: [{ name: 'list_files', input: {} }] }, { text: 'Hi.' }] }));
    const scripted = await startGateway({ HANGAR_MODEL_PROVIDER: 'scripted', HANGAR_SCRIPTED_TURNS: file }, 'Say hi');
    const first = await drain(
      scripted.provider().stream(sampleRequest({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hi' }] }] })),
    );
    expect(first).toContainEqual({ type: 'tool_call.complete', id: 'call_1_1', name: 'list_files', input: {} });
    const second = await drain(scripted.provider().stream(sampleRequest()));
    expect(second[0]).toEqual({ type: 'text.delta', text: 'Hi.' });
  });

  it('answers a misconfigured provider with a non-retryable error that says what is missing', async () => {
    const gateway = await startGateway({ HANGAR_MODEL_PROVIDER: 'anthropic' });
    const error = await failure(drain(gateway.provider().stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'not_configured', retryable: false });
    expect(error.message).toBe('HANGAR_MODEL_PROVIDER=anthropic needs ANTHROPIC_API_KEY on the control plane.');
  });

  it('runs the agent loop through the gateway: an overloaded call is retried visibly, and both calls are counted', async () => {
    let calls = 0;
    const api = await fakeModelApi((_request, response) => {
      if (++calls === 1) {
        answerJson(response, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(anthropicSse({ text: 'Your tracker is ready.', inputTokens: 1000, outputTokens: 20 }));
    });
    const gateway = await startGateway(anthropic(api));
    const timers = new ManualTimers(0.5);
    const sink = new RecordingRunSink();
    const provider = gateway.provider();
    const choice = await provider.choice();
    const run = runAgentLoop({
      provider,
      model: choice.model,
      system: 'You build apps.',
      prompt: 'A tracker for leads',
      tools: [],
      workspaceDir: tmpdir(),
      sink,
      signal: new AbortController().signal,
      timers,
    });
    await timers.fire(1500);
    expect(await run).toMatchObject({
      status: 'succeeded',
      summary: 'Your tracker is ready.',
      usage: { inputTokens: 1000, outputTokens: 20 },
    });
    expect(sink.events.find((event) => event.type === 'model.retrying')).toEqual({
      type: 'model.retrying',
      attempt: 1,
      maxAttempts: 6,
      delayMs: 1500,
      reason: 'Anthropic is overloaded (HTTP 529). It said: Overloaded.',
    });
    expect(await gateway.test.builder.models.runUsage(gateway.spec.runId)).toMatchObject({
      calls: 2,
      inputTokens: 1000,
      outputTokens: 20,
    });

    // The control plane's event route accepts what the loop emitted, retry notice included.
    const posted = await gateway.test.app.request(`${testOrigin}/internal/runs/${gateway.spec.runId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.spec.runToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: sink.events }),
    });
    expect(posted.status).toBe(200);
  });
});
