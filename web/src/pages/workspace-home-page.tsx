import { useQuery } from '@tanstack/react-query';
import { ArrowRight, ShieldCheck, Users } from 'lucide-react';
import { Link } from 'react-router';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { TableSkeleton } from '../components/table-skeleton';
import { Card, CardDescription, CardHeader, CardTitle } from '../components/ui/card';
import { AuditTable } from '../features/audit/audit-table';
import { AppsList } from '../features/builder/apps-list';
import { PromptComposer } from '../features/workspaces/prompt-composer';
import { RoleBadge } from '../features/workspaces/role-badge';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { formatDate } from '../lib/format';
import { recentAuditEventsQuery } from '../lib/queries';
import { canBuildApps, isAdmin, roleDescriptions } from '../lib/roles';

function RecentActivity({ workspaceId }: { workspaceId: string }) {
  const events = useQuery(recentAuditEventsQuery(workspaceId));
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between pb-3">
        <div>
          <CardTitle>Recent activity</CardTitle>
          <CardDescription>The latest entries of the audit log.</CardDescription>
        </div>
        <Link to={`/w/${workspaceId}/audit`} className="flex items-center gap-1 text-[13px] font-medium text-primary hover:underline">
          View all <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </CardHeader>
      <div className="border-t">
        {events.isPending ? (
          <TableSkeleton rows={3} columns={3} />
        ) : events.isError ? (
          <QueryError
            className="m-4"
            error={events.error}
            what="recent activity"
            onRetry={() => events.refetch()}
            retrying={events.isFetching}
          />
        ) : events.data.length === 0 ? (
          <p className="px-5 py-6 text-center text-[13px] text-muted-foreground">Nothing has happened here yet.</p>
        ) : (
          <AuditTable events={events.data} compact />
        )}
      </div>
    </Card>
  );
}

/** `/w/:workspaceId`: what this workspace is, who is in it, and the apps built in it. */
export function WorkspaceHomePage() {
  const workspace = useWorkspace();
  const base = `/w/${workspace.id}`;
  const canBuild = canBuildApps(workspace.role);

  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={workspace.name} titleTestId="workspace-title" description={`Created ${formatDate(workspace.createdAt)}`} />

      <div className="grid gap-4 sm:grid-cols-2">
        <Card className="flex items-center gap-4 px-5 py-4">
          <div className="flex size-9 items-center justify-center rounded-lg bg-accent text-accent-foreground">
            <Users className="size-4" aria-hidden />
          </div>
          <div className="min-w-0 flex-1">
            <p className="text-[13px] text-muted-foreground">Members</p>
            <p className="text-lg font-semibold" data-testid="member-count">
              {workspace.memberCount}
            </p>
          </div>
          <Link to={`${base}/members`} className="text-[13px] font-medium text-primary hover:underline">
            Manage
          </Link>
        </Card>
        <Card className="flex items-center gap-4 px-5 py-4">
          <div className="flex size-9 items-center justify-center rounded-lg bg-accent text-accent-foreground">
            <ShieldCheck className="size-4" aria-hidden />
          </div>
          <div className="min-w-0 flex-1">
            <p className="text-[13px] text-muted-foreground">Your role</p>
            <p className="truncate text-[13px]">{roleDescriptions[workspace.role]}</p>
          </div>
          <RoleBadge role={workspace.role} />
        </Card>
      </div>

      {canBuild ? <PromptComposer workspaceId={workspace.id} /> : null}

      <section aria-labelledby="apps-heading" className="flex flex-col gap-3">
        <h2 id="apps-heading" className="text-sm font-semibold">
          Apps
        </h2>
        <AppsList workspaceId={workspace.id} workspaceName={workspace.name} canBuild={canBuild} />
      </section>

      {isAdmin(workspace.role) ? <RecentActivity workspaceId={workspace.id} /> : null}
    </div>
  );
}
