import { useQuery } from '@tanstack/react-query';
import { SearchX } from 'lucide-react';
import { Link, NavLink, Outlet, useMatches, useParams } from 'react-router';
import { HangarLogo } from '../../components/hangar-logo';
import { QueryError } from '../../components/query-error';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { IdentityMenu } from '../auth/identity-menu';
import { isApiError } from '../../lib/api';
import { workspaceQuery } from '../../lib/queries';
import { cn } from '../../lib/utils';
import { WorkspaceContext } from './workspace-context';
import { WorkspaceSidebar } from './workspace-sidebar';
import { useWorkspaceEvents } from './workspace-events';
import { useMe } from '../auth/me-context';
import { failedWithNothing } from '../../lib/query-state';

/** The sidebar when the workspace could not be loaded: only the way back. */
function SidebarFallback() {
  return (
    <aside className="sticky top-0 flex h-dvh w-60 shrink-0 flex-col border-r bg-card/60 p-4 max-md:hidden">
      <Link to="/" className="rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <HangarLogo />
      </Link>
    </aside>
  );
}

function SidebarSkeleton() {
  return (
    <aside className="sticky top-0 flex h-dvh w-60 shrink-0 flex-col gap-3 border-r bg-card/60 p-4 max-md:hidden" aria-hidden>
      <Skeleton className="h-9" />
      <Skeleton className="h-6 w-32" />
      <Skeleton className="h-6 w-28" />
      <Skeleton className="h-6 w-24" />
    </aside>
  );
}

/** Section links for narrow screens, where the sidebar is hidden. */
function MobileNav({ workspaceId }: { workspaceId: string }) {
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    cn('rounded-md px-2 py-1 text-sm text-muted-foreground', isActive && 'bg-muted text-foreground');
  return (
    <nav aria-label="Workspace sections" className="flex gap-1 md:hidden">
      <NavLink to={`/w/${workspaceId}`} end className={linkClass}>
        Home
      </NavLink>
      <NavLink to={`/w/${workspaceId}/members`} className={linkClass}>
        Members
      </NavLink>
      <NavLink to={`/w/${workspaceId}/audit`} className={linkClass}>
        Audit
      </NavLink>
    </nav>
  );
}

/** The app shell of `/w/:workspaceId/*`: sidebar, header with the identity menu, and the page. */
export function WorkspaceLayout() {
  const { workspaceId = '' } = useParams();
  const workspace = useQuery(workspaceQuery(workspaceId));
  const me = useMe();
  // The live console: changes by anyone in the workspace refresh this tab's pages.
  useWorkspaceEvents(workspace.isSuccess ? workspaceId : '', me.identity.id);
  // Pages such as the builder use the whole width and height below the header.
  const fullBleed = useMatches().some((match) => (match.handle as { fullBleed?: boolean } | undefined)?.fullBleed === true);

  let body;
  if (workspace.isPending) {
    body = (
      <div className="flex flex-col gap-4" aria-busy aria-label="Loading workspace">
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-40" />
        <Skeleton className="mt-4 h-40" />
      </div>
    );
  } else if (failedWithNothing(workspace)) {
    const notFound = isApiError(workspace.error) && (workspace.error.status === 404 || workspace.error.status === 403);
    body = notFound ? (
      <EmptyState
        icon={SearchX}
        title="Workspace not found"
        description="It does not exist, or the identity in this tab is not a member of it."
        action={
          <Button asChild variant="outline">
            <Link to="/">Back to your workspaces</Link>
          </Button>
        }
      />
    ) : (
      <QueryError error={workspace.error} what="this workspace" onRetry={() => workspace.refetch()} retrying={workspace.isFetching} />
    );
  } else {
    body = (
      <WorkspaceContext.Provider value={workspace.data}>
        <Outlet />
      </WorkspaceContext.Provider>
    );
  }

  return (
    <div className="flex min-h-dvh">
      {workspace.isSuccess ? (
        <WorkspaceSidebar workspace={workspace.data} />
      ) : workspace.isPending ? (
        <SidebarSkeleton />
      ) : (
        <SidebarFallback />
      )}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center justify-between gap-4 border-b bg-background/85 px-6 backdrop-blur">
          <MobileNav workspaceId={workspaceId} />
          <div className="flex-1" />
          <IdentityMenu />
        </header>
        <main
          className={cn(
            fullBleed && workspace.isSuccess ? 'flex w-full min-w-0 flex-1 flex-col' : 'mx-auto w-full max-w-5xl flex-1 px-6 py-8',
          )}
        >
          {body}
        </main>
      </div>
    </div>
  );
}
