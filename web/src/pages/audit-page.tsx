import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { ScrollText, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { TableSkeleton } from '../components/table-skeleton';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { EmptyState } from '../components/ui/empty-state';
import { AuditFilters, emptyAuditFilters, type AuditFilterValues } from '../features/audit/audit-filters';
import { AuditEventTable } from '../features/governance/audit-event-table';
import { AuditExportButtons } from '../features/governance/audit-export-buttons';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { isApiError } from '../lib/api';
import { auditEventsQuery, type AuditFilters as AuditQueryFilters } from '../lib/queries';
import { isAdmin } from '../lib/roles';
import { useDebouncedValue } from '../lib/use-debounced-value';

function toQuery(values: AuditFilterValues): AuditQueryFilters {
  return {
    action: values.action.trim() || undefined,
    outcome: values.outcome === 'all' ? undefined : values.outcome,
    q: values.q.trim() || undefined,
  };
}

function AdminOnly() {
  return (
    <EmptyState
      icon={ShieldAlert}
      title="You need admin access"
      description="The audit log is visible to workspace owners and admins. Ask one of them if you need to review activity."
      data-testid="audit-forbidden"
    />
  );
}

function AuditLog({ workspaceId }: { workspaceId: string }) {
  const [filters, setFilters] = useState<AuditFilterValues>(emptyAuditFilters);
  const query = toQuery(useDebouncedValue(filters));
  const events = useInfiniteQuery({ ...auditEventsQuery(workspaceId, query), placeholderData: keepPreviousData });

  if (events.isError && isApiError(events.error) && events.error.status === 403) return <AdminOnly />;

  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = query.action !== undefined || query.outcome !== undefined || query.q !== undefined;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <AuditFilters value={filters} onChange={setFilters} />
        <AuditExportButtons workspaceId={workspaceId} filters={query} />
      </div>
      <Card aria-busy={events.isFetching}>
        {events.isPending ? (
          <TableSkeleton rows={6} columns={5} />
        ) : events.isError && items.length === 0 ? (
          <QueryError
            className="m-4"
            error={events.error}
            what="the audit log"
            onRetry={() => events.refetch()}
            retrying={events.isFetching}
          />
        ) : items.length === 0 ? (
          <EmptyState
            icon={ScrollText}
            className="m-4 border-0"
            title={filtered ? 'No matching events' : 'No events yet'}
            description={
              filtered ? 'Try a different search or clear the filters.' : 'Membership, governance and data changes will be recorded here.'
            }
          />
        ) : (
          <AuditEventTable workspaceId={workspaceId} events={items} />
        )}
      </Card>
      {events.isFetchNextPageError ? (
        <QueryError error={events.error} what="more events" onRetry={() => events.fetchNextPage()} retrying={events.isFetchingNextPage} />
      ) : null}
      {events.hasNextPage ? (
        <div className="flex justify-center">
          <Button
            variant="outline"
            loading={events.isFetchingNextPage}
            onClick={() => void events.fetchNextPage()}
            data-testid="audit-load-more"
          >
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** `/w/:workspaceId/audit`: the workspace's audit trail, for owners and admins. */
export function AuditPage() {
  const workspace = useWorkspace();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Audit log" description="Every governance, membership and data change, with who did it and how it ended." />
      {isAdmin(workspace.role) ? <AuditLog key={workspace.id} workspaceId={workspace.id} /> : <AdminOnly />}
    </div>
  );
}
