import { useQuery } from '@tanstack/react-query';
import { MonitorPlay, RotateCw } from 'lucide-react';
import { useRef, useState } from 'react';
import { QueryError } from '../../../components/query-error';
import { Button } from '../../../components/ui/button';
import { EmptyState } from '../../../components/ui/empty-state';
import { Skeleton } from '../../../components/ui/skeleton';
import { previewLinkQuery } from '../../../lib/queries';
import { useAppBridge } from '../../bridge/use-app-bridge';
import { failedWithNothing } from '../../../lib/query-state';

type PreviewPaneProps = {
  workspaceId: string;
  appId: string;
  versionId: string | null;
  versionNumber: number | null;
  /** The identity may read but not change the app's data (viewers). */
  readOnly?: boolean;
};

/**
 * The built app in a sandboxed iframe. The sandbox never includes `allow-same-origin`: the app
 * runs in an opaque origin and cannot touch the console, its cookies or its API. For the same
 * reason there is no "open in new tab", which would drop the sandbox. Its data goes through the
 * console: the app posts bridge requests to this window, which answers them with its own access.
 */
export function PreviewPane({ workspaceId, appId, versionId, versionNumber, readOnly = false }: PreviewPaneProps) {
  const iframeRef = useRef<HTMLIFrameElement | null>(null);
  const [reloads, setReloads] = useState(0);
  const link = useQuery({ ...previewLinkQuery(workspaceId, appId, versionId ?? ''), enabled: versionId !== null });

  // Only the preview's own window may talk to the console; anything else is dropped unread.
  useAppBridge(iframeRef, { workspaceId, appId, scope: 'draft', readOnly });

  if (versionId === null) {
    return (
      <div className="flex flex-1 items-center justify-center p-6">
        <EmptyState
          icon={MonitorPlay}
          title="Nothing to preview yet"
          description="The preview appears after the first successful build."
          className="w-full max-w-md"
        />
      </div>
    );
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-10 shrink-0 items-center gap-2 border-b bg-muted/30 px-3 text-xs text-muted-foreground">
        <MonitorPlay className="size-3.5" aria-hidden />
        <span>{versionNumber ? `Version ${versionNumber}` : 'Latest version'} · sandboxed preview</span>
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto h-7"
          onClick={() => setReloads((count) => count + 1)}
          disabled={!link.data}
          data-testid="preview-reload"
        >
          <RotateCw aria-hidden />
          Reload
        </Button>
      </div>
      <div className="relative min-h-0 flex-1 bg-white">
        {link.isPending ? (
          <Skeleton className="absolute inset-4" />
        ) : failedWithNothing(link) ? (
          <QueryError className="m-4" error={link.error} what="the preview" onRetry={() => link.refetch()} retrying={link.isFetching} />
        ) : (
          <iframe
            key={`${link.data.url}#${reloads}`}
            ref={iframeRef}
            src={link.data.url}
            sandbox="allow-scripts allow-forms allow-modals"
            referrerPolicy="no-referrer"
            title="App preview"
            data-testid="app-preview"
            className="absolute inset-0 size-full border-0"
          />
        )}
      </div>
    </div>
  );
}
