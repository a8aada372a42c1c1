import type { WorkspaceSummary } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { ChevronRight, LayoutGrid, Users } from 'lucide-react';
import { Link } from 'react-router';
import { Avatar } from '../components/avatar';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { TopBar } from '../components/top-bar';
import { EmptyState } from '../components/ui/empty-state';
import { Skeleton } from '../components/ui/skeleton';
import { useMe } from '../features/auth/me-context';
import { CreateWorkspaceDialog } from '../features/workspaces/create-workspace-dialog';
import { RoleBadge } from '../features/workspaces/role-badge';
import { pluralize } from '../lib/format';
import { workspacesQuery } from '../lib/queries';
import { useFirstVisit } from '../lib/first-visit';

function WorkspaceRow({ workspace }: { workspace: WorkspaceSummary }) {
  return (
    <li>
      <Link
        to={`/w/${workspace.id}`}
        data-testid={`workspace-link-${workspace.id}`}
        className="group flex items-center gap-4 px-5 py-4 outline-none transition-colors hover:bg-muted/60 focus-visible:bg-muted/60 focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset"
      >
        <Avatar name={workspace.name} seed={workspace.id} square className="size-9 text-xs" />
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium">{workspace.name}</p>
          <p className="flex items-center gap-1 text-[13px] text-muted-foreground">
            <Users className="size-3.5" aria-hidden />
            {pluralize(workspace.memberCount, 'member')}
          </p>
        </div>
        <RoleBadge role={workspace.role} />
        <ChevronRight className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden />
      </Link>
    </li>
  );
}

function WorkspaceListSkeleton() {
  return (
    <div className="divide-y rounded-xl border bg-card" aria-busy aria-label="Loading workspaces">
      {[0, 1, 2].map((row) => (
        <div key={row} className="flex items-center gap-4 px-5 py-4">
          <Skeleton className="size-9" />
          <div className="flex flex-1 flex-col gap-2">
            <Skeleton className="h-4 w-48" />
            <Skeleton className="h-3 w-24" />
          </div>
          <Skeleton className="h-5 w-14 rounded-full" />
        </div>
      ))}
    </div>
  );
}

/** `/`: the workspaces this identity belongs to, and the way to create one. */
export function WorkspacesPage() {
  const { identity } = useMe();
  const workspaces = useQuery(workspacesQuery());
  const firstName = identity.name.split(/\s+/)[0] ?? identity.name;
  const firstVisit = useFirstVisit(identity.id);

  return (
    <div className="min-h-dvh">
      <TopBar />
      <main className="mx-auto flex max-w-5xl flex-col gap-6 px-6 py-10">
        <PageHeader
          title="Workspaces"
          description={
            firstVisit
              ? `Welcome to Hangar, ${firstName}. ${workspaces.data?.items.length ? 'Pick a workspace to start.' : 'Create a workspace to start building apps.'}`
              : `Welcome back, ${firstName}. Pick a workspace to continue.`
          }
          actions={workspaces.data && workspaces.data.items.length > 0 ? <CreateWorkspaceDialog /> : null}
        />
        {workspaces.isPending ? (
          <WorkspaceListSkeleton />
        ) : workspaces.isError ? (
          <QueryError
            error={workspaces.error}
            what="your workspaces"
            onRetry={() => workspaces.refetch()}
            retrying={workspaces.isFetching}
          />
        ) : workspaces.data.items.length === 0 ? (
          <EmptyState
            icon={LayoutGrid}
            title="Create your first workspace"
            description="Workspaces hold your team's apps, their data, members and the audit trail. You can invite people once it exists."
            action={<CreateWorkspaceDialog />}
            className="py-16"
          />
        ) : (
          <ul className="divide-y overflow-hidden rounded-xl border bg-card shadow-xs" data-testid="workspace-list">
            {workspaces.data.items.map((workspace) => (
              <WorkspaceRow key={workspace.id} workspace={workspace} />
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
