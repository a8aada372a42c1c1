import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { abortedError, ModelError, modelErrorFromStatus, retryAfterFromHeaders } from './model-error';

/**
 * Maps anything thrown by the Anthropic or Bedrock SDK during a call to a `ModelError` with a
 * sentence for a message. The SDK's own messages embed the raw JSON body ("529 {"type":…}"),
 * and a connection dropped mid-stream surfaces as undici's bare "terminated": neither is shown.
 */
export function toModelError(error: unknown, signal: AbortSignal | undefined, provider = 'Anthropic'): ModelError {
  if (error instanceof ModelError) return error;
  if (signal?.aborted || error instanceof APIUserAbortError) return abortedError(error);
  if (error instanceof APIConnectionTimeoutError) return new ModelError('timeout', `The request to ${provider} timed out.`, { cause: error });
  if (error instanceof APIConnectionError) return new ModelError('network', `Could not reach ${provider}.`, { cause: error });
  if (error instanceof APIError) {
    const detail = providerMessage(error.error);
    const status: unknown = error.status;
    const headers: Headers | undefined = error.headers instanceof Headers ? error.headers : undefined;
    if (typeof status === 'number') {
      return modelErrorFromStatus(status, detail, { provider, retryAfterMs: retryAfterFromHeaders(headers), cause: error });
    }
    // An `event: error` inside a stream that had already answered 200 (for Bedrock, an
    // exception frame, named by its AWS exception type).
    return fromErrorType(error.type ?? errorTypeOf(error.error), provider, detail, error);
  }
  // Anything else thrown while reading the body: the connection broke mid-response.
  return new ModelError('network', `The connection to ${provider} dropped in the middle of the response.`, { cause: error });
}

/** The `error.message` of a Messages API error body, if it has one. */
function providerMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inner: unknown = 'error' in body ? body.error : body;
  if (typeof inner === 'object' && inner !== null && 'message' in inner && typeof inner.message === 'string') return inner.message;
  return undefined;
}

function errorTypeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const inner: unknown = 'error' in body ? body.error : body;
  if (typeof inner === 'object' && inner !== null && 'type' in inner && typeof inner.type === 'string') return inner.type;
  return null;
}

function fromErrorType(type: string | null, provider: string, detail: string | undefined, cause: unknown): ModelError {
  const said = detail ? ` It said: ${detail.trim().slice(0, 500)}` : '';
  switch (type) {
    case 'overloaded_error':
    case 'serviceUnavailableException':
    case 'modelNotReadyException':
      return new ModelError('overloaded', `${provider} reported that it is overloaded, in the middle of the response.${said}`, { cause });
    case 'rate_limit_error':
    case 'throttlingException':
      return new ModelError('rate_limit', `${provider} is rate limiting requests.${said}`, { cause });
    case 'authentication_error':
    case 'permission_error':
    case 'accessDeniedException':
      return new ModelError('auth', `${provider} refused the credentials.${said}`, { cause });
    case 'invalid_request_error':
    case 'not_found_error':
    case 'validationException':
      return new ModelError('bad_request', `${provider} rejected the request.${said}`, { cause });
    case 'api_error':
    case 'timeout_error':
    case 'internalServerException':
    case 'modelStreamErrorException':
    case 'modelTimeoutException':
      return new ModelError('server', `${provider} had a server error in the middle of the response.${said}`, { cause });
    default:
      return new ModelError('unknown', `${provider} reported an error in the middle of the response.${said}`, { cause });
  }
}
