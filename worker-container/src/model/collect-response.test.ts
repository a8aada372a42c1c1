import { describe, expect, it } from 'vitest';
import { collectResponse } from './collect-response';
import { ModelError } from './model-error';
import type { ModelEvent } from './model-provider';
import { asyncIterableOf } from './testing/sample-request';

const stream = (events: ModelEvent[]) => asyncIterableOf(events);

describe('collectResponse', () => {
  it('joins deltas into blocks in stream order and keeps the last usage', async () => {
    const collected = await collectResponse(
      stream([
        { type: 'reasoning.delta', text: 'Plan' },
        { type: 'reasoning.delta', text: ' it.' },
        { type: 'reasoning.complete', text: 'Plan it.', signature: 'sig' },
        { type: 'reasoning.complete', text: '', redactedData: 'opaque' },
        { type: 'text.delta', text: 'Hello' },
        { type: 'text.delta', text: ' there.' },
        { type: 'tool_call.start', id: 't1', name: 'list_files' },
        { type: 'tool_call.input_delta', id: 't1', partialJson: '{}' },
        { type: 'tool_call.complete', id: 't1', name: 'list_files', input: {} },
        { type: 'text.delta', text: 'After.' },
        { type: 'usage', inputTokens: 1, outputTokens: 1 },
        { type: 'usage', inputTokens: 100, outputTokens: 20, cacheReadTokens: 50 },
        { type: 'message.stop', stopReason: 'tool_use' },
      ]),
    );
    expect(collected).toEqual({
      message: {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Plan it.', signature: 'sig' },
          { type: 'reasoning', text: '', redactedData: 'opaque' },
          { type: 'text', text: 'Hello there.' },
          { type: 'tool_use', id: 't1', name: 'list_files', input: {} },
          { type: 'text', text: 'After.' },
        ],
      },
      usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 50 },
      stopReason: 'tool_use',
    });
  });

  it('keeps unsigned reasoning (from OpenAI-compatible servers) as one block', async () => {
    const { message } = await collectResponse(
      stream([
        { type: 'reasoning.delta', text: 'a' },
        { type: 'reasoning.delta', text: 'b' },
        { type: 'text.delta', text: 'c' },
        { type: 'message.stop', stopReason: 'end_turn' },
      ]),
    );
    expect(message.content).toEqual([
      { type: 'reasoning', text: 'ab' },
      { type: 'text', text: 'c' },
    ]);
  });

  it('rejects a stream without message.stop', async () => {
    const error: unknown = await collectResponse(stream([{ type: 'text.delta', text: 'cut' }])).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});
