import {
  ErrorBody,
  ModelChoice,
  ModelStreamEvent,
  modelGatewayLimits,
  modelStreamContentType,
  type ModelGatewayRequest,
} from '@hangar/protocol';
import { abortedError, ModelError, modelErrorFromStreamEvent, retryAfterFromHeaders } from './model-error';
import type { ModelEvent, ModelProvider, ModelRequest } from './model-provider';
import { LineTooLongError, readNdjsonLines } from './ndjson-lines';
import { streamChunks } from './stream-chunks';

export interface GatewayModelProviderOptions {
  /** The control plane, e.g. `http://127.0.0.1:8787`. */
  controlPlaneUrl: string;
  runId: string;
  runToken: string;
  fetch?: typeof fetch;
}

const gatewayLabel = "the control plane's model gateway";

/**
 * The worker's model provider: every call goes to the control plane's model gateway
 * (`POST /internal/runs/:runId/model` with the run token), which holds the provider key and
 * answers NDJSON model events as they arrive. Every line is parsed with the protocol schema.
 * The request's `model` is not sent: the control plane chooses it (see `choice()`).
 */
export class GatewayModelProvider implements ModelProvider {
  readonly name = 'gateway';
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;

  constructor(options: GatewayModelProviderOptions) {
    this.#base = `${options.controlPlaneUrl.replace(/\/+$/, '')}/internal/runs/${encodeURIComponent(options.runId)}/model`;
    this.#token = options.runToken;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Which provider and model the control plane uses for this run. */
  async choice(signal?: AbortSignal): Promise<ModelChoice> {
    const response = await this.#send('GET', undefined, signal ?? AbortSignal.timeout(30_000));
    return ModelChoice.parse(await response.json());
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return this.#stream(request);
  }

  async *#stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    const { signal } = request;
    if (signal?.aborted) throw abortedError(signal.reason);
    const body: ModelGatewayRequest = {
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      maxTokens: request.maxTokens,
      ...(request.thinking ? { thinking: request.thinking } : {}),
    };
    const response = await this.#send('POST', JSON.stringify(body), signal);
    if (!response.body) throw new ModelError('network', `${capitalized(gatewayLabel)} answered without a response body.`);
    let stopped = false;
    try {
      for await (const line of readNdjsonLines(streamChunks(response.body), modelGatewayLimits.maxEventLineChars)) {
        const event = parseLine(line);
        if (event.type === 'error') throw modelErrorFromStreamEvent(event);
        yield event;
        if (event.type === 'message.stop') stopped = true;
      }
    } catch (error) {
      if (error instanceof ModelError) throw error;
      if (signal?.aborted) throw abortedError(signal.reason);
      if (error instanceof LineTooLongError) throw new ModelError('unknown', `${capitalized(gatewayLabel)} sent an event larger than ${error.maxLineChars} characters.`, { retryable: false });
      throw new ModelError('network', `The connection to ${gatewayLabel} dropped in the middle of the response.`, { cause: error });
    }
    if (signal?.aborted) throw abortedError(signal.reason);
    if (!stopped) throw new ModelError('network', `The response from ${gatewayLabel} ended before it was complete.`);
  }

  async #send(method: 'GET' | 'POST', body: string | undefined, signal: AbortSignal | undefined): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(this.#base, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: method === 'POST' ? modelStreamContentType : 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw abortedError(error);
      throw new ModelError('network', `Could not reach ${gatewayLabel}.`, { cause: error });
    }
    if (!response.ok) throw await gatewayError(response);
    return response;
  }
}

function parseLine(line: string): ModelStreamEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new ModelError('unknown', `${capitalized(gatewayLabel)} sent a line that is not JSON.`, { retryable: false });
  }
  const parsed = ModelStreamEvent.safeParse(json);
  if (!parsed.success) throw new ModelError('unknown', `${capitalized(gatewayLabel)} sent an event of an unexpected shape.`, { retryable: false });
  return parsed.data;
}

/** The gateway refused the call before streaming: its `{ error: { code, message } }` body says why. */
async function gatewayError(response: Response): Promise<ModelError> {
  const text = await response.text().catch(() => '');
  let message: string | undefined;
  let code: string | undefined;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) ({ message, code } = parsed.data.error);
  } catch {
    // Not our JSON (a proxy's error page): the status alone decides.
  }
  const status = response.status;
  const said = message ?? `${capitalized(gatewayLabel)} answered HTTP ${status}.`;
  const retryAfterMs = retryAfterFromHeaders(response.headers);
  const options = { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (code === 'spend_limit_reached') return new ModelError('spend_limit', said, options);
  if (status === 401 || status === 403) return new ModelError('auth', said, options);
  if (status === 429) return new ModelError('rate_limit', said, options);
  if (status === 404) return new ModelError('not_configured', said, options);
  if (status >= 500) return new ModelError('server', said, options);
  return new ModelError('bad_request', said, options);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
