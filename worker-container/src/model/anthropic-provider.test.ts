import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider';
import { collectResponse } from './collect-response';
import { ModelError } from './model-error';
import type { ModelEvent } from './model-provider';
import { readFixture } from './testing/fixtures';
import { answerJson, replayServerSentEvents, startLocalModelServer, type LocalModelServer } from './testing/local-model-server';
import { drain, sampleRequest } from './testing/sample-request';

const fixture = readFixture('anthropic-thinking-text-tool-use.sse');
const apiKey = 'sk-ant-test-key';
let server: LocalModelServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function provider(url: string): AnthropicProvider {
  return new AnthropicProvider({ apiKey, baseURL: url, maxRetries: 0 });
}

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('AnthropicProvider', () => {
  it('sends the Messages API request and normalizes the recorded stream', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture));
    const events = await drain(provider(server.url).stream(sampleRequest({ thinking: { budgetTokens: 2048 } })));

    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    const auth = request?.headers['x-api-key'] ?? request?.headers.authorization;
    expect([apiKey, `Bearer ${apiKey}`]).toContain(auth);
    expect(request?.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      stream: true,
      system: [{ type: 'text', text: 'You build Vite apps.', cache_control: { type: 'ephemeral' } }],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      tools: [
        {
          name: 'write_file',
          description: 'Writes a file in the workspace.',
          input_schema: {
            type: 'object',
            properties: { path: { type: 'string' }, content: { type: 'string' } },
            required: ['path', 'content'],
          },
        },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Build a greeting page.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading first.' },
            { type: 'tool_use', id: 'toolu_read', name: 'read_file', input: { path: 'package.json' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_read', content: 'no such file', is_error: true },
            { type: 'text', text: 'Go on.', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });

    const input = { path: 'src/App.tsx', content: 'export default function App() {\n  return <h1>Hello</h1>;\n}\n' };
    const id = 'toolu_01T1x1fJ34qAmk2tNTrN7Up6';
    expect(events).toEqual<ModelEvent[]>([
      { type: 'reasoning.delta', text: 'The user wants a greeting page.' },
      { type: 'reasoning.delta', text: ' I should write src/App.tsx' },
      { type: 'reasoning.delta', text: ' with a heading.' },
      {
        type: 'reasoning.complete',
        text: 'The user wants a greeting page. I should write src/App.tsx with a heading.',
        signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
      },
      { type: 'text.delta', text: "I'll create" },
      { type: 'text.delta', text: ' the app with a' },
      { type: 'text.delta', text: ' greeting.' },
      { type: 'tool_call.start', id, name: 'write_file' },
      { type: 'tool_call.input_delta', id, partialJson: '{"path": "src/A' },
      { type: 'tool_call.input_delta', id, partialJson: 'pp.tsx", "con' },
      { type: 'tool_call.input_delta', id, partialJson: 'tent": "export default function App() {\\n  return <h1>Hello</h1>;\\n}\\n"' },
      { type: 'tool_call.input_delta', id, partialJson: '}' },
      { type: 'tool_call.complete', id, name: 'write_file', input },
      { type: 'usage', inputTokens: 2095, outputTokens: 118, cacheReadTokens: 1803, cacheWriteTokens: 0 },
      { type: 'message.stop', stopReason: 'tool_use' },
    ]);
  });

  it('folds the stream into an assistant message that can be sent back', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture));
    const { message, stopReason } = await collectResponse(provider(server.url).stream(sampleRequest()));
    expect(stopReason).toBe('tool_use');
    expect(message.content.map((block) => block.type)).toEqual(['reasoning', 'text', 'tool_use']);

    await drain(provider(server.url).stream(sampleRequest({ messages: [...sampleRequest().messages, message], system: '' })));
    const replayed = server.requests[1]?.body as { messages: { content: unknown[] }[]; system?: unknown };
    expect(replayed.system).toBeUndefined();
    expect(replayed.messages.at(-1)?.content[0]).toEqual({
      type: 'thinking',
      thinking: 'The user wants a greeting page. I should write src/App.tsx with a heading.',
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
    });
  });

  it('maps 401 to a non-retryable auth error', async () => {
    server = await startLocalModelServer((_request, response) =>
      answerJson(response, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }),
    );
    const error = await rejection(drain(provider(server.url).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
  });

  it('maps 529 to a retryable overloaded error', async () => {
    server = await startLocalModelServer((_request, response) =>
      answerJson(response, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const error = await rejection(drain(provider(server.url).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true, status: 529 });
  });

  it('maps 429 to a retryable rate limit error', async () => {
    server = await startLocalModelServer((_request, response) =>
      answerJson(response, 429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }),
    );
    const error = await rejection(drain(provider(server.url).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true });
  });

  it('maps an error event inside a started stream', async () => {
    const sse = `${fixture.split('event: content_block_start')[0]}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, sse));
    const error = await rejection(drain(provider(server.url).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true });
  });

  it('reports a stream cut before message_stop as a retryable network error', async () => {
    const truncated = fixture.slice(0, fixture.indexOf('event: message_delta'));
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, truncated));
    const error = await rejection(drain(provider(server.url).stream(sampleRequest())));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('stops with an aborted error when the signal fires mid-stream', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture, { stallAfterEvents: 4 }));
    const controller = new AbortController();
    const received: ModelEvent[] = [];
    const consume = async () => {
      for await (const event of provider(server!.url).stream(sampleRequest({ signal: controller.signal }))) {
        received.push(event);
        controller.abort();
      }
    };
    const error = await rejection(consume());
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    expect(received).toEqual([{ type: 'reasoning.delta', text: 'The user wants a greeting page.' }]);
  });

  it('does not call the API when the signal is already aborted', async () => {
    server = await startLocalModelServer((_request, response) => replayServerSentEvents(response, fixture));
    const error = await rejection(drain(provider(server.url).stream(sampleRequest({ signal: AbortSignal.abort() }))));
    expect(error.kind).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });
});
