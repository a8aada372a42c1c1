import { describe, expect, it } from 'vitest';
import { collectResponse } from './collect-response';
import { ModelError } from './model-error';
import { ScriptedProvider, ScriptExhaustedError, textTurn, toolCallTurn } from './scripted-provider';
import { drain, sampleRequest } from './testing/sample-request';

describe('ScriptedProvider', () => {
  it('answers each call with the next turn and records the requests', async () => {
    const provider = new ScriptedProvider([
      toolCallTurn([{ id: 'call_1', name: 'read_file', input: { path: 'a.ts' } }]),
      (request) => textTurn(`You said ${request.messages.length} messages.`),
    ]);
    const first = await collectResponse(provider.stream(sampleRequest()));
    expect(first.stopReason).toBe('tool_use');
    expect(first.message.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'a.ts' } }]);

    const request = sampleRequest();
    const second = await collectResponse(provider.stream(request));
    expect(second.message.content).toEqual([{ type: 'text', text: 'You said 3 messages.' }]);
    expect(second.usage).toEqual({ inputTokens: 10, outputTokens: 5 });

    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.messages).toEqual(request.messages);
    request.messages.pop();
    expect(provider.requests[1]?.messages).toHaveLength(3);
    expect(provider.remainingTurns).toBe(0);
  });

  it('says clearly when the script has run out', async () => {
    const provider = new ScriptedProvider([textTurn('only one')]);
    await drain(provider.stream(sampleRequest()));
    const error: unknown = await drain(provider.stream(sampleRequest())).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ScriptExhaustedError);
    expect((error as Error).message).toBe('ScriptedProvider: stream() call #2 has no scripted turn (the script has 1).');
  });

  it('lets a turn fail like a real provider', async () => {
    const provider = new ScriptedProvider([
      () => {
        throw new ModelError('overloaded', 'Overloaded');
      },
    ]);
    const error: unknown = await drain(provider.stream(sampleRequest())).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true });
  });

  it('stops with an aborted error between events', async () => {
    const provider = new ScriptedProvider([textTurn('one')]);
    const controller = new AbortController();
    const consume = async () => {
      for await (const _event of provider.stream(sampleRequest({ signal: controller.signal }))) controller.abort();
    };
    const error: unknown = await consume().catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'aborted' });
  });
});
