import { identityHeader } from '@hangar/protocol';
import { oidcBearer } from '../features/auth/oidc-session';
import { readActiveIdentity } from './active-identity';
import { ApiError } from './api-error';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

/** The part of a zod schema the client needs; keeps `zod` itself a dependency of protocol only. */
export type Schema<T> = {
  safeParse: (data: unknown) => { success: true; data: T } | { success: false; error: { issues: unknown } };
};

type RequestOptions<T> = {
  schema?: Schema<T>;
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
};

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** One JSON call to the Hangar API, as the identity active in this tab. */
export async function request<T>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const identityId = readActiveIdentity();
  if (identityId) headers[identityHeader] = identityId;
  const bearer = await oidcBearer();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Could not reach the Hangar server. Check that it is running.');
  }

  if (!response.ok) throw await ApiError.fromResponse(response);
  if (!options.schema) return undefined as T;

  const json: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    console.error(`Unexpected response from ${method} ${path}`, parsed.error.issues);
    throw new ApiError(response.status, 'invalid_response', 'The server sent a response this console does not understand.');
  }
  return parsed.data;
}
