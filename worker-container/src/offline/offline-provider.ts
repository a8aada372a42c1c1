/**
 * The offline model provider: Hangar's deterministic app generator behind the ModelProvider port,
 * so the whole platform works with no API key and no network. It reads the prompt, presents a
 * plan, writes a typed Vite + React app with the template's UI kit, names it and runs the build
 * gate — through the same tools a model uses — and makes small follow-up changes with edit_file.
 * See README.md in this folder for what it understands.
 *
 * Conversation convention (the agent loop produces it):
 * - new app: the first user message's text is exactly the prompt;
 * - follow-up: the first user message's text is `Follow-up: <request>`.
 * The provider keeps no state: each call decides the next turn from `request.messages` alone.
 */
import { abortedError } from '../model/model-error';
import type { ModelEvent, ModelProvider, ModelRequest } from '../model/model-provider';
import { decideTurn, type OfflineTurn } from './offline-conversation';

export { followUpPrefix } from './offline-conversation';

/** The model name the offline provider answers as. */
export const offlineModel = 'offline-generator-1';

export interface OfflineProviderOptions {
  /** Pause between streamed events, to look like a model in the UI; default 0 (just yields). */
  eventDelayMs?: number;
}

/** The deterministic app generator as a model provider. */
export class OfflineProvider implements ModelProvider {
  readonly name = 'offline';
  readonly model = offlineModel;
  readonly #eventDelayMs: number;

  constructor(options: OfflineProviderOptions = {}) {
    this.#eventDelayMs = options.eventDelayMs ?? 0;
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return this.#play(request);
  }

  async *#play(request: ModelRequest): AsyncGenerator<ModelEvent> {
    const { signal } = request;
    if (signal?.aborted) throw abortedError(signal.reason);
    const turn = decideTurn(request.messages);
    const turnNumber = request.messages.filter((message) => message.role === 'assistant').length + 1;
    for (const event of turnEvents(turn, turnNumber, estimateTokens(request.system) + estimateTokens(JSON.stringify(request.messages)))) {
      await pause(this.#eventDelayMs, signal);
      yield event;
    }
  }
}

/** The events of one turn, streamed like a model: text in chunks, tool inputs in partial JSON. */
export function turnEvents(turn: OfflineTurn, turnNumber: number, inputTokens: number): ModelEvent[] {
  const events: ModelEvent[] = [];
  let output = 0;
  for (const chunk of textChunks(turn.text)) {
    events.push({ type: 'text.delta', text: chunk });
    output += chunk.length;
  }
  turn.calls.forEach((call, index) => {
    const id = `offline_${turnNumber}_${index + 1}`;
    const json = JSON.stringify(call.input);
    events.push({ type: 'tool_call.start', id, name: call.name });
    for (const partialJson of jsonChunks(json)) events.push({ type: 'tool_call.input_delta', id, partialJson });
    events.push({ type: 'tool_call.complete', id, name: call.name, input: call.input });
    output += json.length;
  });
  events.push({ type: 'usage', inputTokens: Math.max(1, inputTokens), outputTokens: Math.max(1, Math.ceil(output / 4)) });
  events.push({ type: 'message.stop', stopReason: turn.calls.length > 0 ? 'tool_use' : 'end_turn' });
  return events;
}

/** About four characters per token, like English text for most tokenizers. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Splits text after spaces into chunks of about 48 characters. */
function textChunks(text: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of text.split(/(?<=\s)/)) {
    current += piece;
    if (current.length >= 48) {
      chunks.push(current);
      current = '';
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Splits JSON into up to three parts, as a model's streamed tool input arrives. */
function jsonChunks(json: string): string[] {
  if (json.length < 24) return [json];
  const size = Math.ceil(json.length / 3);
  return [json.slice(0, size), json.slice(size, size * 2), json.slice(size * 2)].filter(Boolean);
}

function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
