import type { Messages } from '@anthropic-ai/sdk/resources/messages';
import { AnthropicEventMapper } from './anthropic-events';
import { toModelError } from './anthropic-errors';
import { toAnthropicParams, type AnthropicRequestOptions } from './anthropic-request';
import { abortedError, ModelError } from './model-error';
import type { ModelEvent, ModelRequest } from './model-provider';

/** The part of an Anthropic or AnthropicBedrock client that a provider uses. */
export interface AnthropicMessagesClient {
  messages: Pick<Messages, 'create'>;
}

/** Streams one request through a Messages API client and yields normalized events. */
export async function* streamAnthropicMessages(
  client: AnthropicMessagesClient,
  request: ModelRequest,
  options: AnthropicRequestOptions & { providerLabel?: string },
): AsyncGenerator<ModelEvent> {
  const label = options.providerLabel ?? 'Anthropic';
  const { signal } = request;
  if (signal?.aborted) throw abortedError(signal.reason);
  const mapper = new AnthropicEventMapper();
  try {
    const stream = await client.messages.create(toAnthropicParams(request, options), signal ? { signal } : {});
    for await (const event of stream) {
      // Events already read from the network are not delivered after an abort.
      if (signal?.aborted) break;
      yield* mapper.map(event);
    }
  } catch (error) {
    throw toModelError(error, signal, label);
  }
  // The SDK ends an aborted stream quietly, so the abort is reported here.
  if (signal?.aborted) throw abortedError(signal.reason);
  if (!mapper.stopped) throw new ModelError('network', `The ${label} response ended before it was complete.`);
}
