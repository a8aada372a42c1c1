import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { queryKeys } from '../../lib/queries';

/** Query keys of the agents console; all of an app's agent state lives under its app key. */
export const agentKeys = {
  all: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents'] as const,
  config: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents', 'config'] as const,
  validation: (workspaceId: string, appId: string, text: string) =>
    [...queryKeys.app(workspaceId, appId), 'agents', 'validate', text] as const,
  runs: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents', 'runs'] as const,
  callApprovals: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents', 'call-approvals'] as const,
  secrets: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents', 'secrets'] as const,
  schedules: (workspaceId: string, appId: string) => [...queryKeys.app(workspaceId, appId), 'agents', 'schedules'] as const,
  settings: (workspaceId: string) => [...queryKeys.workspace(workspaceId), 'agent-settings'] as const,
};

export const agentsConfigQuery = (workspaceId: string, appId: string) =>
  queryOptions({ queryKey: agentKeys.config(workspaceId, appId), queryFn: ({ signal }) => api.agentsConfig(workspaceId, appId, signal) });

/** Active runs and pending calls change without this tab doing anything: poll while any is open. */
const whileActive = (active: boolean) => (active ? 2000 : false);

export const agentRunsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: agentKeys.runs(workspaceId, appId),
    queryFn: ({ signal }) => api.listAgentRuns(workspaceId, appId, signal),
    select: (page) => page.items,
    refetchInterval: (query) =>
      whileActive(query.state.data?.items.some((run) => ['queued', 'running', 'awaiting_approval'].includes(run.status)) ?? false),
  });

export const callApprovalsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: agentKeys.callApprovals(workspaceId, appId),
    queryFn: ({ signal }) => api.listCallApprovals(workspaceId, appId, signal),
    select: (page) => page.items,
    refetchInterval: 5000,
  });

export const secretsQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: agentKeys.secrets(workspaceId, appId),
    queryFn: ({ signal }) => api.listSecrets(workspaceId, appId, signal),
    select: (page) => page.items,
  });

export const agentSchedulesQuery = (workspaceId: string, appId: string) =>
  queryOptions({
    queryKey: agentKeys.schedules(workspaceId, appId),
    queryFn: ({ signal }) => api.agentSchedules(workspaceId, appId, signal),
    select: (page) => page.items,
    // A 404 means the route or the published schedules are not there: asking again does not help.
    retry: false,
  });

export const agentSettingsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: agentKeys.settings(workspaceId), queryFn: ({ signal }) => api.agentSettings(workspaceId, signal) });

/** After a change to an app's agents, refetch everything the agents console shows of it. */
export function refreshAgents(queryClient: QueryClient, workspaceId: string, appId: string) {
  return queryClient.invalidateQueries({ queryKey: agentKeys.all(workspaceId, appId) });
}
