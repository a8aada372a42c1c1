import { useQuery } from '@tanstack/react-query';
import { AppWindow, ChevronRight } from 'lucide-react';
import { Link } from 'react-router';
import { QueryError } from '../../components/query-error';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { formatRelative } from '../../lib/format';
import { appsQuery } from '../../lib/queries';
import { RunStatusBadge } from './run-status-badge';
import { failedWithNothing } from '../../lib/query-state';

type AppsListProps = { workspaceId: string; workspaceName: string; canBuild: boolean };

/** The apps of a workspace as cards: name, the state of the latest run, and when it last changed. */
export function AppsList({ workspaceId, workspaceName, canBuild }: AppsListProps) {
  const apps = useQuery(appsQuery(workspaceId));

  if (apps.isPending) {
    return (
      <div className="grid gap-3 sm:grid-cols-2" aria-busy aria-label="Loading apps">
        <Skeleton className="h-[72px] rounded-xl" />
        <Skeleton className="h-[72px] rounded-xl" />
      </div>
    );
  }
  if (failedWithNothing(apps)) {
    return <QueryError error={apps.error} what="apps" onRetry={() => apps.refetch()} retrying={apps.isFetching} />;
  }
  if (apps.data.length === 0) {
    return (
      <EmptyState
        icon={AppWindow}
        title="Apps will appear here"
        description={
          canBuild
            ? `Describe an app above and the builder writes it. Every app built in ${workspaceName} is listed here with its status.`
            : `Apps published in ${workspaceName} will be listed here.`
        }
      />
    );
  }

  return (
    <ul className="grid gap-3 sm:grid-cols-2" data-testid="apps-list">
      {apps.data.map((app) => (
        <li key={app.id}>
          <Link
            to={`/w/${workspaceId}/apps/${app.id}`}
            data-testid="app-card"
            className="group flex items-center gap-3 rounded-xl border bg-card px-4 py-3.5 shadow-xs transition-colors outline-none hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring"
          >
            <div className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-accent text-accent-foreground">
              <AppWindow className="size-4" aria-hidden />
            </div>
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium">{app.name}</p>
              <p className="text-xs text-muted-foreground">Updated {formatRelative(app.updatedAt)}</p>
            </div>
            {app.latestRunStatus ? <RunStatusBadge status={app.latestRunStatus} /> : null}
            <ChevronRight className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden />
          </Link>
        </li>
      ))}
    </ul>
  );
}
