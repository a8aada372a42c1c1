import { useQuery } from '@tanstack/react-query';
import { ArrowRight, Bot, Hand } from 'lucide-react';
import { Link } from 'react-router';
import { QueryError } from '../../components/query-error';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { pluralize } from '../../lib/format';
import { agentsConfigQuery, callApprovalsQuery } from './agents-queries';

/** The app page's Agents tab: where the app's agents stand, and the way to the agents page. */
export function AgentsOverviewPane({ workspaceId, appId }: { workspaceId: string; appId: string }) {
  const config = useQuery(agentsConfigQuery(workspaceId, appId));
  const approvals = useQuery(callApprovalsQuery(workspaceId, appId));
  const link = `/w/${workspaceId}/apps/${appId}/agents`;
  if (config.isPending) return <Skeleton className="m-4 h-32" />;
  if (config.isError)
    return (
      <QueryError className="m-4" error={config.error} what="the agents" onRetry={() => config.refetch()} retrying={config.isFetching} />
    );
  const agents = Object.keys(config.data.validation.capabilities).length;
  const pending = approvals.data?.filter((approval) => approval.state === 'pending').length ?? 0;
  const open = (
    <Button asChild size="sm" data-testid="open-agents">
      <Link to={link}>
        {config.data.text === null ? 'Add an agent' : 'Open agents'} <ArrowRight aria-hidden />
      </Link>
    </Button>
  );
  if (config.data.text === null)
    return (
      <EmptyState
        className="m-4"
        icon={Bot}
        title="No agents yet"
        description="Agents are users of this app that call approved HTTP tools and read and write its data, started by hand, from the app or on a schedule."
        action={open}
      />
    );
  const approval = config.data.approval;
  return (
    <div className="flex flex-col gap-3 p-4" data-testid="agents-overview">
      <div className="flex flex-wrap items-center gap-2">
        <Bot className="size-4 text-muted-foreground" aria-hidden />
        <span className="text-sm font-medium">
          {config.data.validation.valid ? pluralize(agents, 'agent') : 'agents.json has problems'}
        </span>
        {approval === null ? (
          <Badge variant="neutral">Not approved</Badge>
        ) : approval.state === 'current' ? (
          <Badge variant="success">Approved · current</Badge>
        ) : (
          <Badge variant="warning">Approval stale</Badge>
        )}
        {pending > 0 ? (
          <Badge variant="warning">
            <Hand aria-hidden /> {pluralize(pending, 'call')} waiting
          </Badge>
        ) : null}
      </div>
      <div>{open}</div>
    </div>
  );
}
