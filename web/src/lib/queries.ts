import type { AuditQuery } from '@hangar/protocol';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from './api';

/** Query keys and fetchers, one place, so mutations invalidate exactly what they change. */
export const queryKeys = {
  me: ['me'] as const,
  authConfig: ['auth-config'] as const,
  workspaces: ['workspaces'] as const,
  workspace: (workspaceId: string) => ['workspaces', workspaceId] as const,
  members: (workspaceId: string) => ['workspaces', workspaceId, 'members'] as const,
  invitations: (workspaceId: string) => ['workspaces', workspaceId, 'invitations'] as const,
  audit: (workspaceId: string) => ['workspaces', workspaceId, 'audit'] as const,
};

export const meQuery = () =>
  queryOptions({ queryKey: queryKeys.me, queryFn: ({ signal }) => api.me(signal), staleTime: 60_000 });

export const authConfigQuery = () =>
  queryOptions({ queryKey: queryKeys.authConfig, queryFn: ({ signal }) => api.authConfig(signal), staleTime: Infinity });

export const workspacesQuery = () =>
  queryOptions({ queryKey: queryKeys.workspaces, queryFn: ({ signal }) => api.listWorkspaces(signal) });

export const workspaceQuery = (workspaceId: string) =>
  queryOptions({ queryKey: queryKeys.workspace(workspaceId), queryFn: ({ signal }) => api.getWorkspace(workspaceId, signal) });

export const membersQuery = (workspaceId: string) =>
  queryOptions({ queryKey: queryKeys.members(workspaceId), queryFn: ({ signal }) => api.listMembers(workspaceId, signal) });

export const invitationsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: queryKeys.invitations(workspaceId),
    queryFn: ({ signal }) => api.listInvitations(workspaceId, signal),
  });

export type AuditFilters = Pick<AuditQuery, 'action' | 'outcome' | 'q'>;

export const auditEventsQuery = (workspaceId: string, filters: AuditFilters, limit = 50) =>
  infiniteQueryOptions({
    queryKey: [...queryKeys.audit(workspaceId), filters, limit] as const,
    queryFn: ({ signal, pageParam }) =>
      api.listAuditEvents(workspaceId, { ...filters, limit, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

/** The newest few audit events, for the workspace home. */
export const recentAuditEventsQuery = (workspaceId: string, limit = 6) =>
  queryOptions({
    queryKey: [...queryKeys.audit(workspaceId), 'recent', limit] as const,
    queryFn: ({ signal }) => api.listAuditEvents(workspaceId, { limit }, signal),
    select: (page) => page.items,
  });
