import {
  AuditEvent,
  AuthConfig,
  HealthResponse,
  identityHeader,
  Invitation,
  MeResponse,
  Membership,
  pageOf,
  WorkspaceSummary,
  type AuditQuery,
  type ChangeRoleBody,
  type CreateInvitationBody,
  type CreateWorkspaceBody,
  type SignInBody,
  type UpdateWorkspaceBody,
} from '@hangar/protocol';
import { readActiveIdentity, writeActiveIdentity } from './active-identity';
import { ApiError } from './api-error';

export { ApiError, describeFieldError, errorMessage, fieldErrors, isApiError, issuesToFieldErrors } from './api-error';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

/** The part of a zod schema the client needs; keeps `zod` itself a dependency of protocol only. */
type Schema<T> = {
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
async function request<T>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const identityId = readActiveIdentity();
  if (identityId) headers[identityHeader] = identityId;
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

const MembersPage = pageOf(Membership);
const InvitationsPage = pageOf(Invitation);
const AuditPage = pageOf(AuditEvent);
const WorkspacesPage = pageOf(WorkspaceSummary);

const encode = encodeURIComponent;
const workspacePath = (workspaceId: string) => `/api/workspaces/${encode(workspaceId)}`;

/** Every endpoint the console calls, each validated against the protocol schemas. */
export const api = {
  health: (signal?: AbortSignal) => request('GET', '/api/health', { schema: HealthResponse, signal }),
  authConfig: (signal?: AbortSignal) => request('GET', '/api/auth/config', { schema: AuthConfig, signal }),

  me: async (signal?: AbortSignal): Promise<MeResponse> => {
    try {
      return await request('GET', '/api/me', { schema: MeResponse, signal });
    } catch (error) {
      // The identity this tab remembered may have been signed out elsewhere: fall back to the cookie default.
      if (error instanceof ApiError && error.status === 401 && readActiveIdentity() !== null) {
        writeActiveIdentity(null);
        return request('GET', '/api/me', { schema: MeResponse, signal });
      }
      throw error;
    }
  },

  signIn: async (body: SignInBody) => {
    const me = await request('POST', '/api/auth/sign-in', { schema: MeResponse, body });
    writeActiveIdentity(me.identity.id);
    return me;
  },

  switchIdentity: async (identityId: string) => {
    writeActiveIdentity(identityId);
    const me = await request('POST', '/api/auth/switch', { schema: MeResponse, body: { identityId } });
    writeActiveIdentity(me.identity.id);
    return me;
  },

  signOut: async (identityId?: string) => {
    await request('POST', '/api/auth/sign-out', { body: identityId ? { identityId } : {} });
    if (identityId === undefined || identityId === readActiveIdentity()) writeActiveIdentity(null);
  },

  listWorkspaces: (signal?: AbortSignal) => request('GET', '/api/workspaces', { schema: WorkspacesPage, signal }),
  createWorkspace: (body: CreateWorkspaceBody) => request('POST', '/api/workspaces', { schema: WorkspaceSummary, body }),
  getWorkspace: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', workspacePath(workspaceId), { schema: WorkspaceSummary, signal }),
  updateWorkspace: (workspaceId: string, body: UpdateWorkspaceBody) =>
    request('PATCH', workspacePath(workspaceId), { schema: WorkspaceSummary, body }),

  listMembers: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/members`, { schema: MembersPage, signal, query: { limit: 200 } }),
  changeRole: (workspaceId: string, userId: string, body: ChangeRoleBody) =>
    request('PATCH', `${workspacePath(workspaceId)}/members/${encode(userId)}`, { schema: Membership, body }),
  removeMember: (workspaceId: string, userId: string) =>
    request('DELETE', `${workspacePath(workspaceId)}/members/${encode(userId)}`),

  listInvitations: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/invitations`, { schema: InvitationsPage, signal, query: { limit: 200 } }),
  createInvitation: (workspaceId: string, body: CreateInvitationBody) =>
    request('POST', `${workspacePath(workspaceId)}/invitations`, { schema: Invitation, body }),
  revokeInvitation: (workspaceId: string, invitationId: string) =>
    request('DELETE', `${workspacePath(workspaceId)}/invitations/${encode(invitationId)}`),

  listAuditEvents: (workspaceId: string, query: AuditQuery, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/audit-events`, { schema: AuditPage, signal, query }),
};
