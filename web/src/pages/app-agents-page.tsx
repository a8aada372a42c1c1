import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Bot, CalendarClock, FileJson, Hand, KeyRound, SearchX } from 'lucide-react';
import { Link, useParams } from 'react-router';
import { QueryError } from '../components/query-error';
import { Button } from '../components/ui/button';
import { EmptyState } from '../components/ui/empty-state';
import { Skeleton } from '../components/ui/skeleton';
import { useMe } from '../features/auth/me-context';
import { AgentRunsTab } from '../features/agents/agent-runs-tab';
import { AgentsConfigTab } from '../features/agents/agents-config-tab';
import { agentsConfigQuery, callApprovalsQuery } from '../features/agents/agents-queries';
import { CallApprovalsTab } from '../features/agents/call-approvals-tab';
import { IntegrationsTab } from '../features/agents/integrations-tab';
import { SchedulesTab } from '../features/agents/schedules-tab';
import { useMemberNames } from '../features/agents/use-member-names';
import { BuilderTabs } from '../features/builder/builder-tabs';
import { appRolesOf } from '../features/governance/app-roles';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { isApiError } from '../lib/api';
import { appQuery } from '../lib/queries';

const pageHeight = 'h-[calc(100dvh-3.5rem)]';

/** `/w/:workspaceId/apps/:appId/agents`: an app's agents — configuration and approval, runs, held calls, secrets, schedules. */
export function AppAgentsPage() {
  const workspace = useWorkspace();
  const me = useMe();
  const { appId = '' } = useParams();
  const app = useQuery(appQuery(workspace.id, appId));
  const roles = app.data ? appRolesOf(app.data, workspace.role, me.identity.id) : null;
  const config = useQuery({ ...agentsConfigQuery(workspace.id, appId), enabled: roles?.builder === true });
  const approvals = useQuery({ ...callApprovalsQuery(workspace.id, appId), enabled: roles?.builder === true });
  const nameOf = useMemberNames(workspace.id);
  const appLink = `/w/${workspace.id}/apps/${appId}`;

  if (app.isPending || (roles?.builder && config.isPending)) {
    return (
      <div className={`flex flex-col gap-4 p-6 ${pageHeight}`} aria-busy aria-label="Loading agents">
        <Skeleton className="h-7 w-64" />
        <Skeleton className="flex-1" />
      </div>
    );
  }
  const failed = app.isError ? app.error : config.isError ? config.error : null;
  if (failed || !roles?.builder || !app.data || !config.data) {
    const hidden = !failed || (isApiError(failed) && (failed.status === 404 || failed.status === 403));
    return (
      <div className="mx-auto w-full max-w-5xl px-6 py-8">
        {hidden ? (
          <EmptyState
            icon={SearchX}
            title="Agents not available"
            description="The app does not exist, or the identity in this tab does not build it. Agents are configured by the people who build an app."
            action={
              <Button asChild variant="outline">
                <Link to={`/w/${workspace.id}`}>Back to {workspace.name}</Link>
              </Button>
            }
          />
        ) : (
          <QueryError
            error={failed}
            what="this app's agents"
            onRetry={() => (app.isError ? app.refetch() : config.refetch())}
            retrying={app.isFetching || config.isFetching}
          />
        )}
      </div>
    );
  }

  const pending = approvals.data?.filter((approval) => approval.state === 'pending').length ?? 0;
  const props = { workspaceId: workspace.id, appId, config: config.data };
  return (
    <div className={`flex flex-col ${pageHeight} max-lg:h-auto`}>
      <div className="flex h-12 shrink-0 items-center gap-3 border-b px-4">
        <Button asChild variant="ghost" size="icon-sm" aria-label={`Back to ${app.data.name}`}>
          <Link to={appLink}>
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        <h1 className="truncate text-[15px] font-semibold tracking-tight" data-testid="agents-title">
          {app.data.name} · Agents
        </h1>
      </div>
      <BuilderTabs
        tabs={[
          {
            id: 'agents-config',
            label: 'Configuration',
            icon: FileJson,
            render: () => <AgentsConfigTab {...props} canApprove={roles.admin} meId={me.identity.id} />,
          },
          { id: 'agents-runs', label: 'Runs', icon: Bot, render: () => <AgentRunsTab {...props} nameOf={nameOf} /> },
          {
            id: 'agents-calls',
            label: pending > 0 ? `Call approvals (${pending})` : 'Call approvals',
            icon: Hand,
            render: () => (
              <CallApprovalsTab workspaceId={workspace.id} appId={appId} isAdmin={roles.admin} meId={me.identity.id} nameOf={nameOf} />
            ),
          },
          {
            id: 'agents-secrets',
            label: 'Integrations & secrets',
            icon: KeyRound,
            render: () => <IntegrationsTab {...props} isAdmin={roles.admin} nameOf={nameOf} />,
          },
          { id: 'agents-schedules', label: 'Schedules', icon: CalendarClock, render: () => <SchedulesTab {...props} /> },
        ]}
      />
    </div>
  );
}
