import type { ModelErrorKind, ModelStreamError } from '@hangar/protocol';

export type { ModelErrorKind } from '@hangar/protocol';

const retryableKinds: ReadonlySet<ModelErrorKind> = new Set(['rate_limit', 'overloaded', 'server', 'network', 'timeout']);

export interface ModelErrorOptions {
  status?: number;
  retryable?: boolean;
  /** How long the provider asked callers to wait (its `retry-after`), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of a model call, whatever the vendor: what kind it is, whether a retry may
 * help, and a message that is a sentence a person can read (never raw JSON or "terminated").
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ModelErrorKind, message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? retryableKinds.has(kind);
  }

  /** The error as the gateway's `error` stream line. */
  toStreamEvent(): ModelStreamError {
    return {
      type: 'error',
      kind: this.kind,
      message: this.message.slice(0, 4000),
      retryable: this.retryable,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: Math.round(this.retryAfterMs) } : {}),
    };
  }
}

/** The error that an `error` line of the gateway stream stands for. */
export function modelErrorFromStreamEvent(event: ModelStreamError): ModelError {
  return new ModelError(event.kind, event.message, {
    retryable: event.retryable,
    ...(event.status !== undefined ? { status: event.status } : {}),
    ...(event.retryAfterMs !== undefined ? { retryAfterMs: event.retryAfterMs } : {}),
  });
}

/** A sentence for an HTTP status of a model API, with the provider's own words when they help. */
function describeStatus(status: number, provider: string, detail: string | undefined): string {
  const said = detail ? ` It said: ${sentence(detail)}` : '';
  if (status === 401 || status === 403) return `${provider} refused the credentials (HTTP ${status}): check the model key.${said}`;
  if (status === 429) return `${provider} is rate limiting requests (HTTP 429).${said}`;
  if (status === 529 || status === 503) return `${provider} is overloaded (HTTP ${status}).${said}`;
  if (status >= 500) return `${provider} had a server error (HTTP ${status}).${said}`;
  if (status === 413) return `The request was too large for ${provider} (HTTP 413).${said}`;
  if (status >= 400) return `${provider} rejected the request (HTTP ${status}).${said}`;
  return `${provider} answered HTTP ${status}.${said}`;
}

/** Maps an HTTP status of a model API to a `ModelError` whose message is a sentence. */
export function modelErrorFromStatus(
  status: number,
  detail: string | undefined,
  options: { provider?: string; retryAfterMs?: number | undefined; cause?: unknown } = {},
): ModelError {
  const message = describeStatus(status, options.provider ?? 'The model service', detail);
  const base = {
    status,
    cause: options.cause,
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
  };
  if (status === 401 || status === 403) return new ModelError('auth', message, base);
  if (status === 429) return new ModelError('rate_limit', message, base);
  if (status === 503 || status === 529) return new ModelError('overloaded', message, base);
  if (status === 408) return new ModelError('timeout', message, base);
  if (status >= 500) return new ModelError('server', message, base);
  if (status >= 400) return new ModelError('bad_request', message, base);
  return new ModelError('unknown', message, base);
}

/** The error for a call stopped by its abort signal. */
export function abortedError(cause?: unknown): ModelError {
  return new ModelError('aborted', 'The model call was aborted.', { cause });
}

/**
 * Reads `retry-after-ms` or `retry-after` (seconds, or an HTTP date) from response headers.
 * `now` is injected so a date is read against the caller's clock.
 */
export function retryAfterFromHeaders(headers: { get(name: string): string | null } | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Ends a provider's message with a full stop, trimmed to a readable length. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ').slice(0, 500);
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
