import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Bot, Code2, Database, History, MonitorPlay, SearchX } from 'lucide-react';
import { Link, Navigate, useParams } from 'react-router';
import { QueryError } from '../components/query-error';
import { Button } from '../components/ui/button';
import { EmptyState } from '../components/ui/empty-state';
import { Skeleton } from '../components/ui/skeleton';
import { AgentsOverviewPane } from '../features/agents/agents-overview-pane';
import { BuilderTabs } from '../features/builder/builder-tabs';
import { ChatPanel } from '../features/builder/chat/chat-panel';
import { CodePane } from '../features/builder/code/code-pane';
import { DataPane } from '../features/data/data-pane';
import { OfflineBanner } from '../features/builder/offline-banner';
import { PreviewPane } from '../features/builder/preview/preview-pane';
import { RunStatusBadge } from '../features/builder/run-status-badge';
import { VersionsPane } from '../features/builder/versions/versions-pane';
import { HostStatusBanner } from '../features/builder/host-status-banner';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { isApiError } from '../lib/api';
import { appQuery, runsQuery, versionsQuery } from '../lib/queries';
import { useMe } from '../features/auth/me-context';
import { AppGovernanceBar } from '../features/governance/app-governance-bar';
import { appRolesOf } from '../features/governance/app-roles';
import { failedWithNothing } from '../lib/query-state';

/** The builder is a full-height, two-pane page below the workspace header. */
const pageHeight = 'h-[calc(100dvh-3.5rem)]';

/** `/w/:workspaceId/apps/:appId`: the builder — chat on the left; preview, code, data and versions on the right. */
export function AppPage() {
  const workspace = useWorkspace();
  const { appId = '' } = useParams();
  const app = useQuery(appQuery(workspace.id, appId));
  const runs = useQuery(runsQuery(workspace.id, appId));
  const versions = useQuery(versionsQuery(workspace.id, appId));
  const me = useMe();
  const back = `/w/${workspace.id}`;

  if (app.isPending) {
    return (
      <div className={`flex flex-col gap-4 p-6 ${pageHeight}`} aria-busy aria-label="Loading app">
        <Skeleton className="h-7 w-64" />
        <div className="grid flex-1 gap-4 lg:grid-cols-[2fr_3fr]">
          <Skeleton />
          <Skeleton />
        </div>
      </div>
    );
  }
  if (failedWithNothing(app)) {
    const notFound = isApiError(app.error) && (app.error.status === 404 || app.error.status === 403);
    return (
      <div className="mx-auto w-full max-w-5xl px-6 py-8">
        {notFound ? (
          <EmptyState
            icon={SearchX}
            title="App not found"
            description="It does not exist, or the identity in this tab may not open it."
            action={
              <Button asChild variant="outline">
                <Link to={back}>Back to {workspace.name}</Link>
              </Button>
            }
          />
        ) : (
          <QueryError error={app.error} what="this app" onRetry={() => app.refetch()} retrying={app.isFetching} />
        )}
      </div>
    );
  }

  // People who do not build this app use its published version instead (no builder chrome).
  const canBuild = appRolesOf(app.data, workspace.role, me.identity.id).builder;
  if (!canBuild) return <Navigate to={`/w/${workspace.id}/use/${app.data.id}`} replace />;
  const latestVersion = versions.data?.find((version) => version.id === app.data.latestVersionId) ?? null;

  return (
    <div className={`flex flex-col ${pageHeight} max-lg:h-auto`}>
      <div className="flex h-12 shrink-0 items-center gap-3 border-b px-4">
        <Button asChild variant="ghost" size="icon-sm" aria-label={`Back to ${workspace.name}`}>
          <Link to={back}>
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        <h1 className="truncate text-[15px] font-semibold tracking-tight" data-testid="app-title">
          {app.data.name}
        </h1>
        {app.data.latestRunStatus ? <RunStatusBadge status={app.data.latestRunStatus} /> : null}
        {latestVersion ? <span className="text-xs text-muted-foreground max-sm:hidden">Version {latestVersion.number}</span> : null}
        <AppGovernanceBar app={app.data} versions={versions.data ?? []} />
      </div>
      <HostStatusBanner className="mx-4 mt-3 shrink-0" />
      <OfflineBanner compact className="mx-4 mt-3 shrink-0" />
      <div className="grid min-h-0 flex-1 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="flex min-h-0 flex-col border-r max-lg:h-[75dvh] max-lg:border-r-0 max-lg:border-b">
          {runs.isPending ? (
            <div className="flex flex-col gap-3 p-4" aria-busy aria-label="Loading the conversation">
              <Skeleton className="ml-auto h-10 w-3/4 rounded-2xl" />
              <Skeleton className="h-20" />
            </div>
          ) : failedWithNothing(runs) ? (
            <QueryError
              className="m-4"
              error={runs.error}
              what="the conversation"
              onRetry={() => runs.refetch()}
              retrying={runs.isFetching}
            />
          ) : (
            <ChatPanel workspaceId={workspace.id} appId={app.data.id} runs={runs.data} canBuild={canBuild} />
          )}
        </div>
        <div className="flex min-h-0 flex-col bg-card/40 max-lg:h-[85dvh]">
          <BuilderTabs
            tabs={[
              {
                id: 'preview',
                label: 'Preview',
                icon: MonitorPlay,
                render: () => (
                  <PreviewPane
                    workspaceId={workspace.id}
                    appId={app.data.id}
                    versionId={app.data.latestVersionId}
                    versionNumber={latestVersion?.number ?? null}
                    readOnly={!canBuild}
                  />
                ),
              },
              {
                id: 'code',
                label: 'Code',
                icon: Code2,
                render: () => <CodePane workspaceId={workspace.id} appId={app.data.id} versionId={app.data.latestVersionId} />,
              },
              {
                id: 'data',
                label: 'Data',
                icon: Database,
                render: () => <DataPane workspaceId={workspace.id} appId={app.data.id} canWrite={canBuild} />,
              },
              {
                id: 'versions',
                label: 'Versions',
                icon: History,
                render: () => <VersionsPane workspaceId={workspace.id} appId={app.data.id} canBuild={canBuild} />,
              },
              {
                id: 'agents',
                label: 'Agents',
                icon: Bot,
                render: () => <AgentsOverviewPane workspaceId={workspace.id} appId={app.data.id} />,
              },
            ]}
          />
        </div>
      </div>
    </div>
  );
}
