import { afterEach, describe, expect, it } from 'vitest';
import { collectResponse } from './collect-response';
import { ModelError } from './model-error';
import type { ModelEvent } from './model-provider';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';
import { readFixture } from './testing/fixtures';
import { answerJson, replayServerSentEvents, startLocalModelServer, type LocalModelServer } from './testing/local-model-server';
import { drain, sampleRequest } from './testing/sample-request';

const fixture = readFixture('openai-compatible-tool-call.sse');
let server: LocalModelServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

function sse(...chunks: unknown[]): string {
  return chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`).join('');
}

describe('OpenAiCompatibleProvider', () => {
  it('sends a Chat Completions request and normalizes the recorded stream', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture));
    const provider = new OpenAiCompatibleProvider({ baseURL: `${server.url}/v1/`, apiKey: 'ollama' });
    const events = await drain(provider.stream(sampleRequest({ model: 'qwen3-coder:30b' })));

    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer ollama');
    expect(request?.body).toEqual({
      model: 'qwen3-coder:30b',
      max_tokens: 4096,
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        {
          type: 'function',
          function: {
            name: 'write_file',
            description: 'Writes a file in the workspace.',
            parameters: {
              type: 'object',
              properties: { path: { type: 'string' }, content: { type: 'string' } },
              required: ['path', 'content'],
            },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'You build Vite apps.' },
        { role: 'user', content: 'Build a greeting page.' },
        {
          role: 'assistant',
          content: 'Reading first.',
          tool_calls: [{ id: 'toolu_read', type: 'function', function: { name: 'read_file', arguments: '{"path":"package.json"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_read', content: 'Error: no such file' },
        { role: 'user', content: 'Go on.' },
      ],
    });

    const id = 'call_9f2b1c';
    expect(events).toEqual<ModelEvent[]>([
      { type: 'reasoning.delta', text: 'Need a file.' },
      { type: 'text.delta', text: 'Writing' },
      { type: 'text.delta', text: ' the file.' },
      { type: 'tool_call.start', id, name: 'write_file' },
      { type: 'tool_call.input_delta', id, partialJson: '{"path":' },
      { type: 'tool_call.input_delta', id, partialJson: ' "src/App.tsx", ' },
      { type: 'tool_call.input_delta', id, partialJson: '"content": "<h1>Hi</h1>"' },
      { type: 'tool_call.input_delta', id, partialJson: '}' },
      { type: 'tool_call.complete', id, name: 'write_file', input: { path: 'src/App.tsx', content: '<h1>Hi</h1>' } },
      { type: 'usage', inputTokens: 300, outputTokens: 41, cacheReadTokens: 512 },
      { type: 'message.stop', stopReason: 'tool_use' },
    ]);
  });

  it('sends no authorization header, system message or tools when there are none', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture));
    const provider = new OpenAiCompatibleProvider({ baseURL: server.url });
    await drain(provider.stream(sampleRequest({ system: '', tools: [] })));
    const [request] = server.requests;
    expect(request?.headers.authorization).toBeUndefined();
    const body = request?.body as { messages: { role: string }[]; tools?: unknown };
    expect(body.tools).toBeUndefined();
    expect(body.messages[0]?.role).toBe('user');
  });

  it('keeps parallel tool calls apart by index and reads `reasoning`', async () => {
    const stream = sse(
      { choices: [{ index: 0, delta: { reasoning: 'Two files.' } }] },
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                { index: 0, id: 'a', function: { name: 'read_file', arguments: '{"path":' } },
                { index: 1, id: 'b', function: { name: 'read_file', arguments: '' } },
              ],
            },
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"path":"b.ts"}' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"a.ts"}' } }] } }] },
      // Older Ollama versions finish a tool call turn with 'stop'.
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      '[DONE]',
    );
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, stream));
    const { message, stopReason, usage } = await collectResponse(
      new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest()),
    );
    expect(stopReason).toBe('tool_use');
    expect(usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(message.content).toEqual([
      { type: 'reasoning', text: 'Two files.' },
      { type: 'tool_use', id: 'a', name: 'read_file', input: { path: 'a.ts' } },
      { type: 'tool_use', id: 'b', name: 'read_file', input: { path: 'b.ts' } },
    ]);
  });

  it('maps finish reasons', async () => {
    const cases: [string, string][] = [
      ['stop', 'end_turn'],
      ['length', 'max_tokens'],
      ['content_filter', 'refusal'],
      ['something_new', 'other'],
    ];
    for (const [finishReason, stopReason] of cases) {
      const stream = sse(
        { choices: [{ index: 0, delta: { content: 'x' } }] },
        { choices: [{ index: 0, delta: {}, finish_reason: finishReason }] },
      );
      server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, stream));
      const collected = await collectResponse(new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest()));
      expect(collected.stopReason).toBe(stopReason);
      await server.close();
      server = undefined;
    }
  });

  it('reports a truncated tool call with its raw input and the parse error', async () => {
    const stream = sse(
      {
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, id: 'c', function: { name: 'write_file', arguments: '{"path": "src/Ap' } }] } },
        ],
      },
      { choices: [{ index: 0, delta: {}, finish_reason: 'length' }] },
      '[DONE]',
    );
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, stream));
    const events = await drain(new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest()));
    const complete = events.find((event) => event.type === 'tool_call.complete');
    expect(complete).toMatchObject({ id: 'c', input: '{"path": "src/Ap', parseError: expect.any(String) as unknown });
  });

  it('maps HTTP errors to kinds', async () => {
    const cases: [number, string, boolean][] = [
      [401, 'auth', false],
      [429, 'rate_limit', true],
      [503, 'overloaded', true],
      [400, 'bad_request', false],
      [500, 'server', true],
    ];
    for (const [status, kind, retryable] of cases) {
      server = await startLocalModelServer((_request, response) =>
        answerJson(response, status, { error: { message: `failed with ${status}` } }),
      );
      const error = await rejection(drain(new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest())));
      expect(error).toMatchObject({ kind, retryable, status });
      expect(error.message).toContain(`failed with ${status}`);
      await server.close();
      server = undefined;
    }
  });

  it('maps an error chunk inside the stream, and an unreachable server', async () => {
    server = await startLocalModelServer((_request, response) =>
      replayServerSentEvents(response, sse({ error: { message: 'model crashed' } })),
    );
    const error = await rejection(drain(new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest())));
    expect(error.message).toContain('model crashed');

    const unreachable = server.url;
    await server.close();
    server = undefined;
    const network = await rejection(drain(new OpenAiCompatibleProvider({ baseURL: unreachable }).stream(sampleRequest())));
    expect(network).toMatchObject({ kind: 'network', retryable: true });
  });

  it('reports a stream cut before the finish reason as a network error', async () => {
    server = await startLocalModelServer((_request, response) =>
      replayServerSentEvents(response, sse({ choices: [{ index: 0, delta: { content: 'x' } }] })),
    );
    const error = await rejection(drain(new OpenAiCompatibleProvider({ baseURL: server.url }).stream(sampleRequest())));
    expect(error.kind).toBe('network');
  });

  it('stops with an aborted error when the signal fires mid-stream', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture, { stallAfterEvents: 3 }));
    const provider = new OpenAiCompatibleProvider({ baseURL: server.url });
    const controller = new AbortController();
    const received: ModelEvent[] = [];
    const consume = async () => {
      for await (const event of provider.stream(sampleRequest({ signal: controller.signal }))) {
        received.push(event);
        controller.abort();
      }
    };
    const error = await rejection(consume());
    expect(error.kind).toBe('aborted');
    expect(received).toEqual([{ type: 'reasoning.delta', text: 'Need a file.' }]);
  });
});
