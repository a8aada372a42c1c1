import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { abortedError, ModelError, modelErrorFromStatus } from './model-error';

/** Maps anything thrown by the Anthropic or Bedrock SDK during a call to a `ModelError`. */
export function toModelError(error: unknown, signal: AbortSignal | undefined): ModelError {
  if (error instanceof ModelError) return error;
  if (signal?.aborted || error instanceof APIUserAbortError) return abortedError(error);
  if (error instanceof APIConnectionError) return new ModelError('network', error.message, { cause: error });
  if (error instanceof APIError) {
    const status: unknown = error.status;
    if (typeof status === 'number') return modelErrorFromStatus(status, error.message, error);
    // An `event: error` inside a stream that had already answered 200 (for Bedrock, an
    // exception frame, named by its AWS exception type).
    return fromErrorType(error.type, error.message, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('unknown', message, { cause: error });
}

function fromErrorType(type: string | null, message: string, cause: unknown): ModelError {
  switch (type) {
    case 'overloaded_error':
    case 'serviceUnavailableException':
    case 'modelNotReadyException':
      return new ModelError('overloaded', message, { cause });
    case 'rate_limit_error':
    case 'throttlingException':
      return new ModelError('rate_limit', message, { cause });
    case 'authentication_error':
    case 'permission_error':
    case 'accessDeniedException':
      return new ModelError('auth', message, { cause });
    case 'invalid_request_error':
    case 'not_found_error':
    case 'validationException':
      return new ModelError('bad_request', message, { cause });
    case 'api_error':
    case 'timeout_error':
    case 'internalServerException':
    case 'modelStreamErrorException':
    case 'modelTimeoutException':
      return new ModelError('unknown', message, { cause, retryable: true });
    default:
      return new ModelError('unknown', message, { cause });
  }
}
