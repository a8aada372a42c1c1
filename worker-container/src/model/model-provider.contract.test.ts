import { AnthropicProvider } from './anthropic-provider';
import { BedrockProvider } from './bedrock-provider';
import { contractModels, describeModelProviderContract } from './model-provider.contract';
import type { ModelEvent } from './model-provider';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';
import { ScriptedProvider, toolCallTurn } from './scripted-provider';
import { bedrockChunkFrame, eventsOfServerSentEvents } from './testing/aws-event-stream';
import { readFixture } from './testing/fixtures';
import { replayServerSentEvents, startLocalModelServer } from './testing/local-model-server';

const anthropicFixture = readFixture('anthropic-thinking-text-tool-use.sse');
const openAiFixture = readFixture('openai-compatible-tool-call.sse');

describeModelProviderContract('anthropic', async () => {
  const server = await startLocalModelServer((request, response) => {
    const { model } = request.body as { model: string };
    replayServerSentEvents(response, anthropicFixture, model === contractModels.stallModel ? { stallAfterEvents: 4 } : {});
  });
  return { provider: new AnthropicProvider({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 }), close: () => server.close() };
});

describeModelProviderContract('bedrock', async () => {
  const events = eventsOfServerSentEvents(anthropicFixture);
  const server = await startLocalModelServer((request, response) => {
    const stall = request.path.includes(contractModels.stallModel);
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    for (const event of stall ? events.slice(0, 3) : events) response.write(bedrockChunkFrame(event));
    if (!stall) response.end();
  });
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  return {
    provider: new BedrockProvider({ region: 'us-east-1', credentials, baseURL: server.url, maxRetries: 0 }),
    close: () => server.close(),
  };
});

describeModelProviderContract('openai-compatible', async () => {
  const server = await startLocalModelServer((request, response) => {
    const { model } = request.body as { model: string };
    replayServerSentEvents(response, openAiFixture, model === contractModels.stallModel ? { stallAfterEvents: 3 } : {});
  });
  return { provider: new OpenAiCompatibleProvider({ baseURL: server.url }), close: () => server.close() };
});

describeModelProviderContract('scripted', () => {
  const answer = toolCallTurn([{ id: 'call_1', name: 'write_file', input: { path: 'src/App.tsx', content: '<h1>Hi</h1>' } }], {
    text: 'Writing the file.',
  });
  // The stall turn never ends on its own: the scripted provider ends it on abort.
  const stall = async function* (): AsyncGenerator<ModelEvent> {
    yield { type: 'text.delta', text: 'Thinking…' };
    await new Promise<never>(() => {});
  };
  const turn = (request: { model: string }) => (request.model === contractModels.stallModel ? stall() : answer);
  return Promise.resolve({ provider: new ScriptedProvider(Array.from({ length: 10 }, () => turn)), close: () => Promise.resolve() });
});
