import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody, ErrorCode } from '@hangar/protocol';
import { HangarError } from '../domain/errors';
import { InvalidUpdateError } from '../adapters/document-updates';
import { DuplicateKeyError, InvalidCursorError } from '../ports/document-store';
import { InvalidEventIdError } from '../ports/run-event-log';

const json = (c: Context, status: number, code: ErrorCode, message: string, details?: unknown) => {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status as ContentfulStatusCode);
};

/** The one place errors become responses. Anything unexpected is a logged 500 with no internals. */
export function mapError(error: Error, c: Context): Response {
  if (error instanceof HangarError) {
    if (error.code === 'rate_limited') {
      const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (seconds) c.header('retry-after', String(seconds));
    }
    return json(
      c,
      error.status,
      error.code,
      error.expose ? error.message : 'Something went wrong.',
      error.expose ? error.details : undefined,
    );
  }
  if (error instanceof InvalidCursorError) return json(c, 400, 'bad_request', 'The cursor is not valid for this query.');
  if (error instanceof InvalidEventIdError) return json(c, 400, 'bad_request', 'after must be an event id from this run.');
  if (error instanceof DuplicateKeyError) return json(c, 409, 'conflict', 'That already exists.');
  if (error instanceof InvalidUpdateError) return json(c, 400, 'bad_request', error.message);
  if (error instanceof HTTPException) {
    const status = error.status;
    const code: ErrorCode =
      status === 413
        ? 'payload_too_large'
        : status === 401
          ? 'unauthenticated'
          : status === 403
            ? 'forbidden'
            : status === 404
              ? 'not_found'
              : 'bad_request';
    if (status < 500) return json(c, status, code, error.message || 'The request was refused.');
  }
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'unhandled error',
      requestId: c.get('requestId') as unknown,
      error: error.stack ?? String(error),
    }),
  );
  return json(c, 500, 'internal', 'Something went wrong on our side. It has been logged.');
}

export function notFound(c: Context): Response {
  return json(c, 404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
}
