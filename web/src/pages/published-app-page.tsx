import { useQuery } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useRef } from 'react';
import { Link, useParams } from 'react-router';
import { QueryError } from '../components/query-error';
import { Button } from '../components/ui/button';
import { Skeleton } from '../components/ui/skeleton';
import { useAppBridge } from '../features/bridge/use-app-bridge';
import { publishedAppsQuery, publishedFrameQuery } from '../features/governance/governance-api';
import { useMe } from '../features/auth/me-context';
import { useWorkspaceEvents } from '../features/workspaces/workspace-events';
import { failedWithNothing } from '../lib/query-state';

/**
 * `/w/:workspaceId/use/:appId`: one published app, full page, nothing else. It runs in the same
 * sandboxed iframe as the builder's preview (never `allow-same-origin`), with the workspace's
 * frame settings, and reaches the published data through the same bridge.
 */
export function PublishedAppPage() {
  const { workspaceId = '', appId = '' } = useParams();
  const iframeRef = useRef<HTMLIFrameElement | null>(null);
  const frame = useQuery(publishedFrameQuery(workspaceId, appId));
  const apps = useQuery(publishedAppsQuery(workspaceId));
  const app = apps.data?.find((candidate) => candidate.id === appId);
  // The app hides what the person may not change (its access rules, evaluated by the control plane).
  useAppBridge(iframeRef, { workspaceId, appId, scope: 'published', writable: frame.data?.writable });
  // Live: a newer published version is offered (never swapped in under the person's hands).
  useWorkspaceEvents(workspaceId, useMe().identity.id);
  const newer = app && frame.data && app.publishedVersionId !== frame.data.versionId ? app : null;
  const gone = apps.isSuccess && !app;

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex h-11 shrink-0 items-center gap-2 border-b px-3">
        <Button asChild variant="ghost" size="icon-sm" aria-label="Back to apps">
          <Link to={`/w/${workspaceId}/apps`}>
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        <h1 className="truncate text-sm font-semibold" data-testid="published-app-title">
          {app?.name ?? ' '}
        </h1>
        {app && !newer ? <span className="text-xs text-muted-foreground">Version {app.publishedVersionNumber}</span> : null}
        {newer ? (
          <div role="status" className="ml-auto flex items-center gap-2 text-xs" data-testid="newer-version">
            <span className="text-muted-foreground">Version {newer.publishedVersionNumber} is published.</span>
            <Button size="sm" variant="outline" onClick={() => void frame.refetch()} disabled={frame.isFetching}>
              Open version {newer.publishedVersionNumber}
            </Button>
          </div>
        ) : gone ? (
          <span role="status" className="ml-auto text-xs text-muted-foreground" data-testid="app-unpublished">
            This app is no longer published for you.
          </span>
        ) : null}
      </header>
      <main className="relative min-h-0 flex-1 bg-white">
        {frame.isPending ? (
          <Skeleton className="absolute inset-4" />
        ) : failedWithNothing(frame) ? (
          <QueryError className="m-4" error={frame.error} what="this app" onRetry={() => frame.refetch()} retrying={frame.isFetching} />
        ) : (
          <iframe
            ref={iframeRef}
            src={frame.data.url}
            sandbox={frame.data.sandbox}
            allow={frame.data.allow}
            referrerPolicy="no-referrer"
            title={app?.name ?? 'App'}
            data-testid="published-app-frame"
            className="absolute inset-0 size-full border-0"
          />
        )}
      </main>
    </div>
  );
}
