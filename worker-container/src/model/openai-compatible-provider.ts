import { ChatCompletionChunk, ChatCompletionEventMapper } from './openai-compatible-events';
import { toChatCompletionRequest } from './openai-compatible-request';
import { abortedError, ModelError, modelErrorFromStatus, retryAfterFromHeaders } from './model-error';
import { streamChunks } from './stream-chunks';
import type { ModelEvent, ModelProvider, ModelRequest } from './model-provider';
import { parseServerSentEvents } from './server-sent-events';

export interface OpenAiCompatibleProviderOptions {
  /** The API root that holds `/chat/completions`, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseURL: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Shown in usage and logs; defaults to `openai-compatible`. */
  name?: string;
}

/** The model provider for any OpenAI-compatible Chat Completions endpoint (Ollama, vLLM, LM Studio). */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly name: string;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: OpenAiCompatibleProviderOptions) {
    this.name = options.name ?? 'openai-compatible';
    this.#url = `${options.baseURL.replace(/\/+$/, '')}/chat/completions`;
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return this.#stream(request);
  }

  async *#stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    const { signal } = request;
    if (signal?.aborted) throw abortedError(signal.reason);
    const body = await this.#post(request);
    const mapper = new ChatCompletionEventMapper();
    let done = false;
    try {
      for await (const event of parseServerSentEvents(streamChunks(body))) {
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        // Events already read from the network are not delivered after an abort.
        if (signal?.aborted) break;
        yield* mapper.map(this.#parseChunk(event.data));
      }
    } catch (error) {
      if (signal?.aborted) throw abortedError(error);
      if (error instanceof ModelError) throw error;
      throw new ModelError('network', `The connection to ${this.name} dropped in the middle of the response.`, { cause: error });
    }
    if (signal?.aborted) throw abortedError(signal.reason);
    if (!done && !mapper.finished) throw new ModelError('network', `The ${this.name} response ended before it was complete.`);
    yield* mapper.finish();
  }

  #parseChunk(data: string): ChatCompletionChunk {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      throw new ModelError('unknown', `${this.name} sent a stream chunk that is not JSON.`);
    }
    const chunk = ChatCompletionChunk.safeParse(json);
    if (!chunk.success) throw new ModelError('unknown', `${this.name} sent a stream chunk of an unexpected shape.`);
    return chunk.data;
  }

  /** Sends the request; answers the streamed body of a successful response. */
  async #post(request: ModelRequest): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      response = await this.#fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify(toChatCompletionRequest(request)),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(error);
      throw new ModelError('network', `Could not reach ${this.name} at ${this.#url}.`, { cause: error });
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw modelErrorFromStatus(response.status, errorMessage(body), {
        provider: this.name,
        retryAfterMs: retryAfterFromHeaders(response.headers),
      });
    }
    if (!response.body) throw new ModelError('network', `${this.name} answered without a response body.`);
    return response.body;
  }
}

/** The message of an OpenAI-style error body, or the start of the raw body. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 500) || 'no body';
}
