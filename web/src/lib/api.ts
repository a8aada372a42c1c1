import {
  AuditEvent,
  AuthConfig,
  HealthResponse,
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
import { agentsApi } from './agents-api';
import { ApiError } from './api-error';
import { builderApi } from './builder-api';
import { dataApi } from './data-api';
import { request } from './request';

export { ApiError, describeFieldError, errorMessage, fieldErrors, isApiError, issuesToFieldErrors } from './api-error';

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
  removeMember: (workspaceId: string, userId: string) => request('DELETE', `${workspacePath(workspaceId)}/members/${encode(userId)}`),

  listInvitations: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/invitations`, { schema: InvitationsPage, signal, query: { limit: 200 } }),
  createInvitation: (workspaceId: string, body: CreateInvitationBody) =>
    request('POST', `${workspacePath(workspaceId)}/invitations`, { schema: Invitation, body }),
  revokeInvitation: (workspaceId: string, invitationId: string) =>
    request('DELETE', `${workspacePath(workspaceId)}/invitations/${encode(invitationId)}`),

  listAuditEvents: (workspaceId: string, query: AuditQuery, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/audit-events`, { schema: AuditPage, signal, query }),

  ...builderApi,
  ...dataApi,
  ...agentsApi,
};
