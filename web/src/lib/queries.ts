import type { AuditQuery, DataFilter, DataScope } from '@hangar/protocol';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, isApiError } from './api';

/** Query keys and fetchers, one place, so mutations invalidate exactly what they change. */
export const queryKeys = {
  me: ['me'] as const,
  authConfig: ['auth-config'] as const,
  workspaces: ['workspaces'] as const,
  workspace: (workspaceId: string) => ['workspaces', workspaceId] as const,
  members: (workspaceId: string) => ['workspaces', workspaceId, 'members'] as const,
  invitations: (workspaceId: string) => ['workspaces', workspaceId, 'invitations'] as const,
  audit: (workspaceId: string) => ['workspaces', workspaceId, 'audit'] as const,
  builderInfo: ['builder'] as const,
  apps: (workspaceId: string) => ['workspaces', workspaceId, 'apps'] as const,
  app: (workspaceId: string, appId: string) => ['workspaces', workspaceId, 'apps', appId] as const,
  runs: (workspaceId: string, appId: string) => ['workspaces', workspaceId, 'apps', appId, 'runs'] as const,
  versions: (workspaceId: string, appId: string) => ['workspaces', workspaceId, 'apps', appId, 'versions'] as const,
  /** A version's content never changes: files, file text, diffs and preview links live under it. */
  version: (workspaceId: string, appId: string, versionId: string) =>
    ['workspaces', workspaceId, 'apps', appId, 'version', versionId] as const,
  /** Live app data of one scope; collections and documents live under it. */
  data: (workspaceId: string, appId: string, scope: DataScope) => ['workspaces', workspaceId, 'apps', appId, 'data', scope] as const,
  dataCollections: (workspaceId: string, appId: string, scope: DataScope) =>
    ['workspaces', workspaceId, 'apps', appId, 'data', scope, 'collections'] as const,
  dataDocuments: (workspaceId: string, appId: string, scope: DataScope, collection: string) =>
    ['workspaces', workspaceId, 'apps', appId, 'data', scope, 'collection', collection] as const,
};

export const meQuery = () => queryOptions({ queryKey: queryKeys.me, queryFn: ({ signal }) => api.me(signal), staleTime: 60_000 });

export const authConfigQuery = () =>
  queryOptions({ queryKey: queryKeys.authConfig, queryFn: ({ signal }) => api.authConfig(signal), staleTime: Infinity });

export const workspacesQuery = () => queryOptions({ queryKey: queryKeys.workspaces, queryFn: ({ signal }) => api.listWorkspaces(signal) });

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
    queryFn: ({ signal, pageParam }) => api.listAuditEvents(workspaceId, { ...filters, limit, cursor: pageParam ?? undefined }, signal),
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

export const builderInfoQuery = () =>
  queryOptions({ queryKey: queryKeys.builderInfo, queryFn: ({ signal }) => api.builderInfo(signal), staleTime: 5 * 60_000 });

export const appsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: queryKeys.apps(workspaceId),
    queryFn: ({ signal }) => api.listApps(workspaceId, signal),
    select: (page) => page.items,
  });

export const appQuery = (workspaceId: string, appId: string) =>
  queryOptions({ queryKey: queryKeys.app(workspaceId, appId), queryFn: ({ signal }) => api.getApp(workspaceId, appId, signal) });

/** Every run of an app, oldest first. */
export const runsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: queryKeys.runs(workspaceId, appId),
    queryFn: ({ signal }) => api.listRuns(workspaceId, appId, signal),
    select: (page) => page.items,
  });

/** Every version of an app, newest first. */
export const versionsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: queryKeys.versions(workspaceId, appId),
    queryFn: ({ signal }) => api.listVersions(workspaceId, appId, signal),
    select: (page) => page.items,
  });

export const versionFilesQuery = (workspaceId: string, appId: string, versionId: string) =>
  queryOptions({
    queryKey: [...queryKeys.version(workspaceId, appId, versionId), 'files'] as const,
    queryFn: ({ signal }) => api.listVersionFiles(workspaceId, appId, versionId, signal),
    select: (page) => page.items,
    staleTime: Infinity,
  });

export const versionFileTextQuery = (workspaceId: string, appId: string, versionId: string, path: string) =>
  queryOptions({
    queryKey: [...queryKeys.version(workspaceId, appId, versionId), 'file', path] as const,
    queryFn: ({ signal }) => api.versionFileText(workspaceId, appId, versionId, path, signal),
    staleTime: Infinity,
  });

export const versionDiffQuery = (workspaceId: string, appId: string, versionId: string, fromVersionId: string) =>
  queryOptions({
    queryKey: [...queryKeys.version(workspaceId, appId, versionId), 'diff', fromVersionId] as const,
    queryFn: ({ signal }) => api.versionDiff(workspaceId, appId, versionId, fromVersionId, signal),
    staleTime: Infinity,
  });

/** Preview links are short-lived capabilities: refetched well before they expire. */
export const previewLinkQuery = (workspaceId: string, appId: string, versionId: string) =>
  queryOptions({
    queryKey: [...queryKeys.version(workspaceId, appId, versionId), 'preview'] as const,
    queryFn: ({ signal }) => api.previewLink(workspaceId, appId, versionId, signal),
    staleTime: 10 * 60_000,
    refetchOnWindowFocus: false,
  });

/** The collections of an app's data scope, with their document counts. */
export const dataCollectionsQuery = (workspaceId: string, appId: string, scope: DataScope) =>
  queryOptions({
    queryKey: queryKeys.dataCollections(workspaceId, appId, scope),
    queryFn: ({ signal }) => api.listCollections(workspaceId, appId, scope, signal),
    select: (page) => page.items,
    retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
  });

/** A collection's documents in the server's order, page by page; `filter` is sent to the server. */
export const dataDocumentsQuery = (workspaceId: string, appId: string, scope: DataScope, collection: string, filter: DataFilter | null) =>
  infiniteQueryOptions({
    queryKey: [...queryKeys.dataDocuments(workspaceId, appId, scope, collection), filter] as const,
    queryFn: ({ signal, pageParam }) =>
      api.listDocuments(
        workspaceId,
        appId,
        scope,
        collection,
        { ...(filter ? { filter } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
  });
