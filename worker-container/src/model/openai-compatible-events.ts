import { z } from 'zod';
import { ModelError } from './model-error';
import type { ModelEvent, StopReason, TokenUsage } from './model-provider';
import { parseToolInput } from './model-provider';

const nullishString = z.string().nullish();

/** One `data:` chunk of a streamed Chat Completion, leniently: servers add their own fields. */
export const ChatCompletionChunk = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        delta: z
          .object({
            content: nullishString,
            // vLLM and DeepSeek say `reasoning_content`; Ollama and OpenRouter say `reasoning`.
            reasoning_content: z.unknown().optional(),
            reasoning: z.unknown().optional(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().optional(),
                  id: nullishString,
                  function: z.object({ name: nullishString, arguments: nullishString }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: nullishString,
      }),
    )
    .nullish(),
  usage: z
    .object({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
  error: z.object({ message: z.string().optional() }).passthrough().nullish(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

interface OpenToolCall {
  id: string;
  name: string;
  json: string;
  started: boolean;
}

/**
 * Maps streamed Chat Completion chunks to normalized events. Tool calls are keyed by their
 * `index`: the first chunk of a call carries its id and name, later ones argument fragments.
 * Usage arrives after the finish reason (in its own chunk), so `usage` and `message.stop` are
 * emitted by `finish()` at the end of the stream.
 */
export class ChatCompletionEventMapper {
  #toolCalls = new Map<number, OpenToolCall>();
  #completedToolCalls = 0;
  #finishReason: string | undefined;
  #usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };

  get finished(): boolean {
    return this.#finishReason !== undefined;
  }

  map(chunk: ChatCompletionChunk): ModelEvent[] {
    if (chunk.error) throw new ModelError('unknown', chunk.error.message ?? JSON.stringify(chunk.error));
    const events: ModelEvent[] = [];
    if (chunk.usage) this.#setUsage(chunk.usage);
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return events;
    const delta = choice.delta;
    const reasoning = [delta?.reasoning_content, delta?.reasoning].find((value) => typeof value === 'string' && value !== '');
    if (typeof reasoning === 'string') events.push({ type: 'reasoning.delta', text: reasoning });
    if (delta?.content) events.push({ type: 'text.delta', text: delta.content });
    for (const [position, call] of (delta?.tool_calls ?? []).entries()) {
      events.push(...this.#toolCallDelta(call.index ?? position, call.id, call.function?.name, call.function?.arguments));
    }
    if (choice.finish_reason) {
      this.#finishReason = choice.finish_reason;
      events.push(...this.#completeToolCalls());
    }
    return events;
  }

  /** The closing events, once the stream ended (`[DONE]` or end of body). */
  finish(): ModelEvent[] {
    return [...this.#completeToolCalls(), { type: 'usage', ...this.#usage }, { type: 'message.stop', stopReason: this.#stopReason() }];
  }

  #toolCallDelta(
    index: number,
    id: string | null | undefined,
    name: string | null | undefined,
    fragment: string | null | undefined,
  ): ModelEvent[] {
    let call = this.#toolCalls.get(index);
    if (!call) {
      call = { id: id || `call_${index}`, name: '', json: '', started: false };
      this.#toolCalls.set(index, call);
    }
    if (name) call.name = name;
    if (fragment) call.json += fragment;
    const events: ModelEvent[] = [];
    if (!call.started && call.name !== '') {
      call.started = true;
      events.push({ type: 'tool_call.start', id: call.id, name: call.name });
      // Arguments that came before the name are reported at once.
      if (call.json !== '') events.push({ type: 'tool_call.input_delta', id: call.id, partialJson: call.json });
    } else if (call.started && fragment) {
      events.push({ type: 'tool_call.input_delta', id: call.id, partialJson: fragment });
    }
    return events;
  }

  #completeToolCalls(): ModelEvent[] {
    const events: ModelEvent[] = [];
    for (const index of [...this.#toolCalls.keys()].sort((a, b) => a - b)) {
      const call = this.#toolCalls.get(index);
      if (!call) continue;
      if (!call.started) events.push({ type: 'tool_call.start', id: call.id, name: call.name });
      events.push({ type: 'tool_call.complete', id: call.id, name: call.name, ...parseToolInput(call.json) });
      this.#completedToolCalls += 1;
    }
    this.#toolCalls.clear();
    return events;
  }

  #setUsage(usage: NonNullable<ChatCompletionChunk['usage']>): void {
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    // OpenAI counts cached tokens inside prompt_tokens; the port counts them apart.
    this.#usage = { inputTokens: usage.prompt_tokens - cached, outputTokens: usage.completion_tokens };
    if (cached > 0) this.#usage.cacheReadTokens = cached;
  }

  #stopReason(): StopReason {
    switch (this.#finishReason) {
      case 'tool_calls':
      case 'function_call':
        return 'tool_use';
      // Some servers (older Ollama) finish tool calls with 'stop'.
      case 'stop':
        return this.#completedToolCalls > 0 ? 'tool_use' : 'end_turn';
      case 'length':
        return 'max_tokens';
      case 'content_filter':
        return 'refusal';
      default:
        return 'other';
    }
  }
}
