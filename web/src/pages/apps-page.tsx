import { useQuery } from '@tanstack/react-query';
import { AppWindow, LayoutGrid } from 'lucide-react';
import { Link } from 'react-router';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { Card } from '../components/ui/card';
import { EmptyState } from '../components/ui/empty-state';
import { Skeleton } from '../components/ui/skeleton';
import { publishedAppsQuery } from '../features/governance/governance-api';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { formatRelative } from '../lib/format';

/** `/w/:workspaceId/apps`: the published apps this person may use; one click opens one full page. */
export function AppsPage() {
  const workspace = useWorkspace();
  const apps = useQuery(publishedAppsQuery(workspace.id));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Apps" description={`The published apps of ${workspace.name} you can use.`} />
      {apps.isPending ? (
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-busy aria-label="Loading apps">
          <Skeleton className="h-20" />
          <Skeleton className="h-20" />
          <Skeleton className="h-20" />
        </div>
      ) : apps.isError ? (
        <QueryError error={apps.error} what="apps" onRetry={() => apps.refetch()} retrying={apps.isFetching} />
      ) : apps.data.length === 0 ? (
        <EmptyState icon={LayoutGrid} title="No published apps yet" description="When an admin publishes an app for you, it appears here." />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {apps.data.map((app) => (
            <li key={app.id}>
              <Link to={`/w/${workspace.id}/use/${app.id}`} className="block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-ring" data-testid="published-app">
                <Card className="flex items-center gap-3 p-4 transition-colors hover:bg-muted/50">
                  <AppWindow className="size-5 text-muted-foreground" aria-hidden />
                  <div className="min-w-0">
                    <div className="truncate font-medium">{app.name}</div>
                    <div className="text-xs text-muted-foreground">
                      Version {app.publishedVersionNumber} · published {formatRelative(app.publishedAt)}
                    </div>
                  </div>
                </Card>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
