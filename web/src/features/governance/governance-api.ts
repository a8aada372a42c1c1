import {
  App,
  Collaborator,
  identityHeader,
  pageOf,
  PublishedApp,
  PublishedFrame,
  Review,
  Team,
  WorkspaceSettings,
  type AuditExportQuery,
  type CreateTeamBody,
  type ReviewDecisionBody,
  type ReviewState,
  type UpdateWorkspaceSettingsBody,
} from '@hangar/protocol';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { readActiveIdentity } from '../../lib/active-identity';
import { ApiError } from '../../lib/api-error';
import { queryKeys } from '../../lib/queries';
import { request } from '../../lib/request';

const ReviewsPage = pageOf(Review);
const TeamsPage = pageOf(Team);
const CollaboratorsPage = pageOf(Collaborator);
const PublishedAppsPage = pageOf(PublishedApp);
const encode = encodeURIComponent;
const w = (workspaceId: string) => `/api/workspaces/${encode(workspaceId)}`;
const a = (workspaceId: string, appId: string) => `${w(workspaceId)}/apps/${encode(appId)}`;

/** The governance endpoints: reviews, publishing, collaborators, teams, published apps, settings, audit export. */
export const governanceApi = {
  requestReview: (workspaceId: string, appId: string, versionId: string, note?: string) =>
    request('POST', `${a(workspaceId, appId)}/reviews`, { schema: Review, body: { versionId, ...(note ? { note } : {}) } }),
  listReviews: (workspaceId: string, filter: { state?: ReviewState; appId?: string }, signal?: AbortSignal) =>
    request('GET', `${w(workspaceId)}/reviews`, { schema: ReviewsPage, query: filter, signal }),
  decideReview: (workspaceId: string, reviewId: string, body: ReviewDecisionBody) =>
    request('POST', `${w(workspaceId)}/reviews/${encode(reviewId)}/decision`, { schema: Review, body }),
  publish: (workspaceId: string, appId: string, versionId: string) =>
    request('POST', `${a(workspaceId, appId)}/publish`, { schema: App, body: { versionId } }),
  unpublish: (workspaceId: string, appId: string) => request('POST', `${a(workspaceId, appId)}/unpublish`, { schema: App }),
  rename: (workspaceId: string, appId: string, name: string) => request('PATCH', a(workspaceId, appId), { schema: App, body: { name } }),
  remove: (workspaceId: string, appId: string) => request('DELETE', a(workspaceId, appId)),
  collaborators: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${a(workspaceId, appId)}/collaborators`, { schema: CollaboratorsPage, signal }),
  setCollaborators: (workspaceId: string, appId: string, userIds: string[]) =>
    request('PUT', `${a(workspaceId, appId)}/collaborators`, { schema: CollaboratorsPage, body: { userIds } }),
  setVisibility: (workspaceId: string, appId: string, teamIds: string[]) =>
    request('PUT', `${a(workspaceId, appId)}/visibility`, { schema: App, body: { teamIds } }),
  teams: (workspaceId: string, signal?: AbortSignal) => request('GET', `${w(workspaceId)}/teams`, { schema: TeamsPage, signal }),
  createTeam: (workspaceId: string, body: CreateTeamBody) => request('POST', `${w(workspaceId)}/teams`, { schema: Team, body }),
  renameTeam: (workspaceId: string, teamId: string, name: string) =>
    request('PATCH', `${w(workspaceId)}/teams/${encode(teamId)}`, { schema: Team, body: { name } }),
  deleteTeam: (workspaceId: string, teamId: string) => request('DELETE', `${w(workspaceId)}/teams/${encode(teamId)}`),
  addTeamMember: (workspaceId: string, teamId: string, userId: string) =>
    request('POST', `${w(workspaceId)}/teams/${encode(teamId)}/members`, { schema: Team, body: { userId } }),
  removeTeamMember: (workspaceId: string, teamId: string, userId: string) =>
    request('DELETE', `${w(workspaceId)}/teams/${encode(teamId)}/members/${encode(userId)}`, { schema: Team }),
  publishedApps: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${w(workspaceId)}/published-apps`, { schema: PublishedAppsPage, signal }),
  publishedFrame: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${w(workspaceId)}/published-apps/${encode(appId)}/frame`, { schema: PublishedFrame, signal }),
  settings: (workspaceId: string, signal?: AbortSignal) => request('GET', `${w(workspaceId)}/settings`, { schema: WorkspaceSettings, signal }),
  updateSettings: (workspaceId: string, body: UpdateWorkspaceSettingsBody) =>
    request('PATCH', `${w(workspaceId)}/settings`, { schema: WorkspaceSettings, body }),

  /** Downloads the filtered audit log (the server streams it; the tab's identity rides in a header, so no plain link). */
  async exportAudit(workspaceId: string, query: AuditExportQuery): Promise<void> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const identity = readActiveIdentity();
    const response = await fetch(`${w(workspaceId)}/audit-events/export?${params.toString()}`, {
      credentials: 'same-origin',
      headers: identity ? { [identityHeader]: identity } : {},
    });
    if (!response.ok) throw await ApiError.fromResponse(response);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `audit.${query.format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
};

/** Query keys of governance, under the workspace's, so a workspace-wide invalidation refreshes them too. */
export const governanceKeys = {
  reviews: (workspaceId: string) => ['workspaces', workspaceId, 'reviews'] as const,
  teams: (workspaceId: string) => ['workspaces', workspaceId, 'teams'] as const,
  publishedApps: (workspaceId: string) => ['workspaces', workspaceId, 'published-apps'] as const,
  settings: (workspaceId: string) => ['workspaces', workspaceId, 'settings'] as const,
  collaborators: (workspaceId: string, appId: string) => ['workspaces', workspaceId, 'apps', appId, 'collaborators'] as const,
};

export const reviewsQuery = (workspaceId: string, filter: { state?: ReviewState; appId?: string } = {}) =>
  queryOptions({
    queryKey: [...governanceKeys.reviews(workspaceId), filter] as const,
    queryFn: ({ signal }) => governanceApi.listReviews(workspaceId, filter, signal),
    select: (page) => page.items,
  });
export const teamsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: governanceKeys.teams(workspaceId), queryFn: ({ signal }) => governanceApi.teams(workspaceId, signal), select: (page) => page.items });
export const publishedAppsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: governanceKeys.publishedApps(workspaceId),
    queryFn: ({ signal }) => governanceApi.publishedApps(workspaceId, signal),
    select: (page) => page.items,
  });
export const publishedFrameQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: [...governanceKeys.publishedApps(workspaceId), appId, 'frame'] as const,
    queryFn: ({ signal }) => governanceApi.publishedFrame(workspaceId, appId, signal),
    staleTime: 30 * 60_000,
  });
export const settingsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: governanceKeys.settings(workspaceId), queryFn: ({ signal }) => governanceApi.settings(workspaceId, signal) });
export const collaboratorsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: governanceKeys.collaborators(workspaceId, appId),
    queryFn: ({ signal }) => governanceApi.collaborators(workspaceId, appId, signal),
    select: (page) => page.items,
  });

/** After any governance action of this tab: refetch what it may have changed (other tabs and people hear of it through the workspace channel). */
export async function refreshGovernance(queryClient: QueryClient, workspaceId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: governanceKeys.reviews(workspaceId) }),
    queryClient.invalidateQueries({ queryKey: governanceKeys.publishedApps(workspaceId) }),
    queryClient.invalidateQueries({ queryKey: governanceKeys.teams(workspaceId) }),
    queryClient.invalidateQueries({ queryKey: governanceKeys.settings(workspaceId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit(workspaceId) }),
  ]);
}
