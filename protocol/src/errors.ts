import { z } from 'zod';

/** Stable, machine-readable error codes answered by every Hangar entry point. */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'rate_limited',
  'limit_reached',
  'spend_limit_reached',
  'method_not_allowed',
  'unavailable',
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The JSON body of every error response: `{ error: { code, message, details? } }`. */
export const ErrorBody = z.strictObject({
  error: z.strictObject({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
