import { ModelError } from './model-error';
import type { AssistantContentBlock, AssistantMessage, ModelEvent, ReasoningBlock, StopReason, TokenUsage } from './model-provider';

export interface CollectedResponse {
  message: AssistantMessage;
  usage: TokenUsage;
  stopReason: StopReason;
}

/** Folds a model event stream into the final assistant message, its usage and its stop reason. */
export async function collectResponse(stream: AsyncIterable<ModelEvent>): Promise<CollectedResponse> {
  const content: AssistantContentBlock[] = [];
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let stopReason: StopReason | undefined;
  // Consecutive deltas of one kind extend the open block; anything else closes it.
  let open: 'text' | 'reasoning' | undefined;

  for await (const event of stream) {
    switch (event.type) {
      case 'text.delta': {
        const last = content.at(-1);
        if (open === 'text' && last?.type === 'text') last.text += event.text;
        else content.push({ type: 'text', text: event.text });
        open = 'text';
        break;
      }
      case 'reasoning.delta': {
        const last = content.at(-1);
        if (open === 'reasoning' && last?.type === 'reasoning') last.text += event.text;
        else content.push({ type: 'reasoning', text: event.text });
        open = 'reasoning';
        break;
      }
      case 'reasoning.complete': {
        const last = content.at(-1);
        const block: ReasoningBlock = { type: 'reasoning', text: event.text };
        if (event.signature !== undefined) block.signature = event.signature;
        if (event.redactedData !== undefined) block.redactedData = event.redactedData;
        if (open === 'reasoning' && last?.type === 'reasoning') content[content.length - 1] = block;
        else content.push(block);
        open = undefined;
        break;
      }
      case 'tool_call.start':
      case 'tool_call.input_delta':
        open = undefined;
        break;
      case 'tool_call.complete':
        content.push({ type: 'tool_use', id: event.id, name: event.name, input: event.input });
        open = undefined;
        break;
      case 'usage': {
        const { type: _type, ...totals } = event;
        usage = totals;
        break;
      }
      case 'message.stop':
        stopReason = event.stopReason;
        break;
      default:
        return assertNever(event);
    }
  }
  if (stopReason === undefined) {
    throw new ModelError('network', 'The model stream ended without message.stop.');
  }
  return { message: { role: 'assistant', content }, usage, stopReason };
}

function assertNever(value: never): never {
  throw new Error(`Unexpected model event: ${JSON.stringify(value)}`);
}
