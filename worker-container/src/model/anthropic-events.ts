import type { RawMessageStreamEvent, StopReason as AnthropicStopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ModelEvent, StopReason, TokenUsage } from './model-provider';
import { parseToolInput } from './model-provider';

type OpenBlock =
  | { kind: 'text' }
  | { kind: 'thinking'; text: string; signature: string | undefined }
  | { kind: 'redacted_thinking'; data: string }
  | { kind: 'tool_use'; id: string; name: string; json: string; initialInput: unknown }
  // Server tool blocks (web search and the like) are not part of the port.
  | { kind: 'ignored' };

/**
 * Maps the Messages API stream events (Anthropic API and Bedrock alike) to normalized model
 * events, one raw event at a time. Usage is reported once, just before `message.stop`, combining
 * the input counts of `message_start` with the final output count of `message_delta`.
 */
export class AnthropicEventMapper {
  #blocks = new Map<number, OpenBlock>();
  #usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  #stopReason: StopReason = 'other';
  #stopped = false;

  /** True once `message_stop` arrived: the response is complete. */
  get stopped(): boolean {
    return this.#stopped;
  }

  map(event: RawMessageStreamEvent): ModelEvent[] {
    switch (event.type) {
      case 'message_start':
        this.#addUsage(event.message.usage);
        return [];
      case 'content_block_start':
        return this.#startBlock(event.index, event.content_block);
      case 'content_block_delta':
        return this.#delta(event.index, event.delta);
      case 'content_block_stop':
        return this.#stopBlock(event.index);
      case 'message_delta':
        if (event.delta.stop_reason) this.#stopReason = toStopReason(event.delta.stop_reason);
        this.#addUsage(event.usage);
        return [];
      case 'message_stop':
        this.#stopped = true;
        return [
          { type: 'usage', ...this.#usage },
          { type: 'message.stop', stopReason: this.#stopReason },
        ];
      default:
        return [];
    }
  }

  #startBlock(index: number, block: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>['content_block']): ModelEvent[] {
    switch (block.type) {
      case 'text':
        this.#blocks.set(index, { kind: 'text' });
        return block.text === '' ? [] : [{ type: 'text.delta', text: block.text }];
      case 'thinking':
        this.#blocks.set(index, { kind: 'thinking', text: block.thinking, signature: block.signature || undefined });
        return block.thinking === '' ? [] : [{ type: 'reasoning.delta', text: block.thinking }];
      case 'redacted_thinking':
        this.#blocks.set(index, { kind: 'redacted_thinking', data: block.data });
        return [];
      case 'tool_use':
        this.#blocks.set(index, { kind: 'tool_use', id: block.id, name: block.name, json: '', initialInput: block.input });
        return [{ type: 'tool_call.start', id: block.id, name: block.name }];
      default:
        this.#blocks.set(index, { kind: 'ignored' });
        return [];
    }
  }

  #delta(index: number, delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta']): ModelEvent[] {
    const block = this.#blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        return block?.kind === 'text' ? [{ type: 'text.delta', text: delta.text }] : [];
      case 'thinking_delta':
        if (block?.kind !== 'thinking') return [];
        block.text += delta.thinking;
        return [{ type: 'reasoning.delta', text: delta.thinking }];
      case 'signature_delta':
        if (block?.kind === 'thinking') block.signature = (block.signature ?? '') + delta.signature;
        return [];
      case 'input_json_delta':
        if (block?.kind !== 'tool_use' || delta.partial_json === '') return [];
        block.json += delta.partial_json;
        return [{ type: 'tool_call.input_delta', id: block.id, partialJson: delta.partial_json }];
      default:
        return [];
    }
  }

  #stopBlock(index: number): ModelEvent[] {
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    switch (block?.kind) {
      case 'thinking':
        return [{ type: 'reasoning.complete', text: block.text, ...(block.signature ? { signature: block.signature } : {}) }];
      case 'redacted_thinking':
        return [{ type: 'reasoning.complete', text: '', redactedData: block.data }];
      case 'tool_use': {
        const parsed = block.json === '' ? { input: block.initialInput ?? {} } : parseToolInput(block.json);
        return [{ type: 'tool_call.complete', id: block.id, name: block.name, ...parsed }];
      }
      default:
        return [];
    }
  }

  #addUsage(usage: {
    input_tokens: number | null;
    output_tokens: number;
    cache_creation_input_tokens: number | null;
    cache_read_input_tokens: number | null;
  }): void {
    // message_delta counts are cumulative, so the latest non-null value wins.
    if (usage.input_tokens != null) this.#usage.inputTokens = usage.input_tokens;
    this.#usage.outputTokens = usage.output_tokens;
    if (usage.cache_read_input_tokens != null) this.#usage.cacheReadTokens = usage.cache_read_input_tokens;
    if (usage.cache_creation_input_tokens != null) this.#usage.cacheWriteTokens = usage.cache_creation_input_tokens;
  }
}

/** Maps the Messages API stop reason to the normalized one. */
export function toStopReason(reason: AnthropicStopReason): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'refusal':
      return reason;
    // Cut off by a length limit either way: the caller treats it like max_tokens.
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
}
