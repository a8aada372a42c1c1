import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicEventMapper } from './anthropic-events';
import { BedrockProvider, createBedrockClient } from './bedrock-provider';
import { ModelError } from './model-error';
import type { ModelEvent } from './model-provider';
import { bedrockChunkFrame, eventsOfServerSentEvents } from './testing/aws-event-stream';
import { readFixture } from './testing/fixtures';
import { answerJson, startLocalModelServer, type LocalModelServer } from './testing/local-model-server';
import { drain, sampleRequest } from './testing/sample-request';

const fixtureEvents = eventsOfServerSentEvents(readFixture('anthropic-thinking-text-tool-use.sse'));
const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
let server: LocalModelServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('BedrockProvider', () => {
  it('creates an AnthropicBedrock client for the region that signs with AWS credentials', () => {
    const client = createBedrockClient({ region: 'eu-west-1', credentials });
    expect(client).toBeInstanceOf(AnthropicBedrock);
    expect(client.awsRegion).toBe('eu-west-1');
    expect(client.apiKey).toBeNull();
    expect(client.baseURL).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
    expect(new BedrockProvider({ region: 'eu-west-1' }).name).toBe('bedrock');
  });

  it('shares the Messages API event mapping with the Anthropic adapter', () => {
    const mapper = new AnthropicEventMapper();
    const events = fixtureEvents.flatMap((event) => mapper.map(event as Parameters<AnthropicEventMapper['map']>[0]));
    expect(mapper.stopped).toBe(true);
    expect(events.at(-1)).toEqual<ModelEvent>({ type: 'message.stop', stopReason: 'tool_use' });
    expect(events.find((event) => event.type === 'tool_call.complete')).toMatchObject({
      name: 'write_file',
      input: { path: 'src/App.tsx' },
    });
  });

  // Beyond the mapping: a local endpoint answering in Bedrock's binary event-stream framing.
  it('signs the invoke-with-response-stream call and decodes event-stream frames', async () => {
    server = await startLocalModelServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      for (const event of fixtureEvents) response.write(bedrockChunkFrame(event));
      response.end();
    });
    const provider = new BedrockProvider({ region: 'us-east-1', credentials, baseURL: server.url, maxRetries: 0 });
    const events = await drain(provider.stream(sampleRequest({ model: modelId })));

    const [request] = server.requests;
    expect(request?.path).toBe(`/model/${modelId}/invoke-with-response-stream`);
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    const body = request?.body as Record<string, unknown>;
    expect(body.model).toBeUndefined();
    expect(body.stream).toBeUndefined();
    expect(typeof body.anthropic_version).toBe('string');
    expect(body.max_tokens).toBe(4096);
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
  });

  it('maps a throttling answer to a retryable rate limit error', async () => {
    server = await startLocalModelServer((_request, response) => answerJson(response, 429, { message: 'Too many requests' }));
    const provider = new BedrockProvider({ region: 'us-east-1', credentials, baseURL: server.url, maxRetries: 0 });
    const error = await drain(provider.stream(sampleRequest({ model: modelId }))).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true });
  });
});
