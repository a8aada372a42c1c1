export type ModelErrorKind = 'auth' | 'rate_limit' | 'overloaded' | 'bad_request' | 'network' | 'aborted' | 'unknown';

const retryableKinds: ReadonlySet<ModelErrorKind> = new Set(['rate_limit', 'overloaded', 'network']);

export interface ModelErrorOptions {
  status?: number;
  retryable?: boolean;
  cause?: unknown;
}

/** Every failure of a model call, whatever the vendor: what kind it is and whether a retry may help. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(kind: ModelErrorKind, message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? retryableKinds.has(kind);
  }
}

/** Maps an HTTP status of a model API to a `ModelError` (5xx other than overload stays retryable). */
export function modelErrorFromStatus(status: number, message: string, cause?: unknown): ModelError {
  const options = { status, cause };
  if (status === 401 || status === 403) return new ModelError('auth', message, options);
  if (status === 429) return new ModelError('rate_limit', message, options);
  if (status === 503 || status === 529) return new ModelError('overloaded', message, options);
  if (status >= 500) return new ModelError('unknown', message, { ...options, retryable: true });
  if (status >= 400) return new ModelError('bad_request', message, options);
  return new ModelError('unknown', message, options);
}

/** The error for a call stopped by its abort signal. */
export function abortedError(cause?: unknown): ModelError {
  return new ModelError('aborted', 'The model call was aborted.', { cause });
}
