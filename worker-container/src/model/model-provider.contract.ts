import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectResponse } from './collect-response';
import { ModelError } from './model-error';
import type { ModelEvent, ModelProvider } from './model-provider';
import { drain, sampleRequest } from './testing/sample-request';

/**
 * The models a contract fixture must serve: `toolCallModel` answers some text and a
 * `write_file` call with input `{ path: 'src/App.tsx', content: string }`, stopping for tool
 * use; `stallModel` sends its first events and then never finishes.
 */
export const contractModels = { toolCallModel: 'contract-tool-call', stallModel: 'contract-stall' } as const;

export interface ModelProviderContractFixture {
  provider: ModelProvider;
  close(): Promise<void>;
}

/** The one contract every ModelProvider adapter passes. */
export function describeModelProviderContract(adapter: string, setup: () => Promise<ModelProviderContractFixture>): void {
  describe(`ModelProvider contract: ${adapter}`, () => {
    let fixture: ModelProviderContractFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('ends with usage and exactly one message.stop, and completes every started tool call', async () => {
      const events = await drain(fixture.provider.stream(sampleRequest({ model: contractModels.toolCallModel })));
      expect(events.filter((event) => event.type === 'message.stop')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('message.stop');
      expect(events.at(-2)?.type).toBe('usage');
      const started = events.filter((event) => event.type === 'tool_call.start').map((event) => event.id);
      const completed = events.filter((event) => event.type === 'tool_call.complete').map((event) => event.id);
      expect(completed).toEqual(started);
      for (const id of started) {
        const json = events
          .filter(
            (event): event is Extract<ModelEvent, { type: 'tool_call.input_delta' }> =>
              event.type === 'tool_call.input_delta' && event.id === id,
          )
          .map((event) => event.partialJson)
          .join('');
        const complete = events.find((event) => event.type === 'tool_call.complete' && event.id === id);
        expect(JSON.parse(json)).toEqual(complete?.type === 'tool_call.complete' ? complete.input : undefined);
      }
    });

    it('folds into an assistant message with the parsed tool input', async () => {
      const { message, stopReason, usage } = await collectResponse(
        fixture.provider.stream(sampleRequest({ model: contractModels.toolCallModel })),
      );
      expect(stopReason).toBe('tool_use');
      expect(usage.inputTokens).toBeGreaterThan(0);
      expect(message.content.some((block) => block.type === 'text' && block.text.length > 0)).toBe(true);
      expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({
        name: 'write_file',
        input: { path: 'src/App.tsx', content: expect.any(String) as unknown },
      });
    });

    it('fails with an aborted ModelError when aborted mid-stream', async () => {
      const controller = new AbortController();
      const consume = async () => {
        for await (const _event of fixture.provider.stream(
          sampleRequest({ model: contractModels.stallModel, signal: controller.signal }),
        )) {
          controller.abort();
        }
      };
      const error: unknown = await consume().catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ kind: 'aborted', retryable: false });
    });

    it('fails with an aborted ModelError when the signal is aborted before the call', async () => {
      const error: unknown = await drain(
        fixture.provider.stream(sampleRequest({ model: contractModels.toolCallModel, signal: AbortSignal.abort() })),
      ).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ kind: 'aborted' });
    });
  });
}
