import { isApiError } from './api-error';

/**
 * Whether a page should show a query's failure instead of its data. A background refetch that
 * fails because the host cannot be reached (or answers 5xx) keeps the last answer on screen: the
 * page stays usable and the host banner says what is wrong. A definite answer from the host (a
 * 4xx: the thing was deleted, or this person lost access) is shown even over the last answer.
 */
export function failedWithNothing<Q extends { isError: boolean; data: unknown; error: unknown }>(
  query: Q,
): query is Extract<Q, { isError: true; data: undefined }> {
  if (!query.isError) return false;
  return query.data === undefined || (isApiError(query.error) && query.error.status >= 400 && query.error.status < 500);
}
