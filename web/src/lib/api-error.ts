import { ErrorBody, type ErrorCode } from '@hangar/protocol';

/** Codes the client adds for failures that never produced an API error body. */
export type ClientErrorCode = 'network_error' | 'invalid_response';

/** A failed API call: the HTTP status, the stable error code and a message safe to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Builds an error from a non-2xx response, whatever its body looks like. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      return new ApiError(response.status, code, message, details);
    }
    return new ApiError(response.status, 'internal', `The server answered ${response.status} ${response.statusText}`.trim());
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A message fit for a toast or alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

type Issue = { path?: unknown; message?: unknown };

/** One message per top-level field from a list of zod issues, e.g. `{ email: 'Invalid email address' }`. */
export function issuesToFieldErrors(issues: readonly unknown[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of issues) {
    if (typeof raw !== 'object' || raw === null) continue;
    const issue = raw as Issue;
    const field = Array.isArray(issue.path) && issue.path.length > 0 ? String(issue.path[0]) : '';
    if (field && typeof issue.message === 'string' && !(field in result)) result[field] = issue.message;
  }
  return result;
}

/** The per-field messages of a `validation_failed` API error (empty for any other error). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed' || !Array.isArray(error.details)) return {};
  return issuesToFieldErrors(error.details);
}

/** "is required" becomes "Name is required"; full sentences are kept as they are. */
export function describeFieldError(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}
