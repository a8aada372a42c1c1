import Anthropic from '@anthropic-ai/sdk';
import type { AnthropicMessagesClient } from './anthropic-messages-stream';
import { streamAnthropicMessages } from './anthropic-messages-stream';
import type { ModelEvent, ModelProvider, ModelRequest } from './model-provider';

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string;
  /** A ready client (tests, proxies); `apiKey` and `baseURL` are then ignored. */
  client?: AnthropicMessagesClient;
  /** Retries of the SDK for 408/409/429/5xx before the first byte; defaults to the SDK's (2). */
  maxRetries?: number;
  /** Prompt cache breakpoints on the system prompt and the newest message; on by default. */
  promptCache?: boolean;
}

/** The model provider for the Anthropic Messages API. */
export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic';
  readonly #client: AnthropicMessagesClient;
  readonly #promptCache: boolean;

  constructor(options: AnthropicProviderOptions) {
    this.#client =
      options.client ??
      new Anthropic({
        apiKey: options.apiKey,
        ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      });
    this.#promptCache = options.promptCache ?? true;
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return streamAnthropicMessages(this.#client, request, { promptCache: this.#promptCache });
  }
}
