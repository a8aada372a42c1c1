import type { ErrorCode } from '@hangar/protocol';

/**
 * A typed error that knows its HTTP status, stable code, and whether its message is safe to
 * show a client. The HTTP layer maps it to `{ error: { code, message, details? } }` in one place.
 */
export class HangarError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly options: { expose?: boolean; retryable?: boolean; details?: unknown } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
  get expose(): boolean {
    return this.options.expose ?? this.status < 500;
  }
  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
  get details(): unknown {
    return this.options.details;
  }
}

export class BadRequestError extends HangarError {
  constructor(message: string, code: ErrorCode = 'bad_request', details?: unknown) {
    super(400, code, message, { details });
  }
}
export class ValidationError extends HangarError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, { details });
  }
}
export class UnauthenticatedError extends HangarError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthenticated', message);
  }
}
export class ForbiddenError extends HangarError {
  constructor(message = 'You do not have permission to do that.', code: ErrorCode = 'forbidden') {
    super(403, code, message);
  }
}
export class NotFoundError extends HangarError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}
export class ConflictError extends HangarError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}
export class PayloadTooLargeError extends HangarError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
  }
}
export class RateLimitedError extends HangarError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`, { retryable: true, details: { retryAfterSeconds } });
  }
}
