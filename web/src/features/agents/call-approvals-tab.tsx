import type { CallApproval, Run } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Check, Hand, X } from 'lucide-react';
import { QueryError } from '../../components/query-error';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from '../../components/ui/card';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { agentRunsQuery, callApprovalsQuery, refreshAgents } from './agents-queries';
import { CallPreview } from './call-preview';

type CallApprovalsTabProps = { workspaceId: string; appId: string; isAdmin: boolean; meId: string; nameOf: (userId: string) => string };

/** Held calls of agents under the rule of two: what each will send and where, with approve and deny; then the decided ones. */
export function CallApprovalsTab({ workspaceId, appId, isAdmin, meId, nameOf }: CallApprovalsTabProps) {
  const approvals = useQuery(callApprovalsQuery(workspaceId, appId));
  const runs = useQuery(agentRunsQuery(workspaceId, appId));
  if (approvals.isPending)
    return (
      <div className="flex flex-col gap-3 p-4" aria-busy aria-label="Loading call approvals">
        <Skeleton className="h-32" />
      </div>
    );
  if (approvals.isError)
    return (
      <QueryError
        className="m-4"
        error={approvals.error}
        what="call approvals"
        onRetry={() => approvals.refetch()}
        retrying={approvals.isFetching}
      />
    );
  const pending = approvals.data.filter((approval) => approval.state === 'pending');
  const decided = approvals.data.filter((approval) => approval.state !== 'pending');
  const runOf = (runId: string) => runs.data?.find((run) => run.id === runId);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-auto p-4">
      <section className="flex flex-col gap-3" aria-label="Waiting for a decision">
        <h2 className="text-sm font-semibold">Waiting for a decision</h2>
        {pending.length === 0 ? (
          <EmptyState
            icon={Hand}
            title="No calls are waiting"
            description="When an agent that reads outside content, touches private data and changes state wants to make such a call, it waits here for a person."
          />
        ) : (
          pending.map((approval) => (
            <PendingCall
              key={approval.id}
              workspaceId={workspaceId}
              appId={appId}
              approval={approval}
              run={runOf(approval.runId)}
              canDecide={isAdmin || runOf(approval.runId)?.createdBy === meId}
              nameOf={nameOf}
            />
          ))
        )}
      </section>
      {decided.length > 0 ? (
        <section className="flex flex-col gap-2" aria-label="Decided calls">
          <h2 className="text-sm font-semibold">Decided</h2>
          <ul className="flex flex-col gap-1.5">
            {decided.map((approval) => (
              <li
                key={approval.id}
                className="flex flex-wrap items-center gap-2 rounded-lg border bg-card px-3 py-2 text-[13px]"
                data-testid="decided-call"
              >
                <Badge variant={approval.state === 'approved' ? 'success' : 'destructive'}>
                  {approval.state === 'approved' ? 'Approved' : 'Denied'}
                </Badge>
                <span className="font-mono text-xs">{approval.tool}</span>
                {approval.host ? <span className="text-muted-foreground">to {approval.host}</span> : null}
                <span className="ml-auto text-xs text-muted-foreground">
                  {approval.decidedBy ? `by ${nameOf(approval.decidedBy)} ` : ''}
                  {approval.decidedAt ? formatRelative(approval.decidedAt) : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

type PendingCallProps = {
  workspaceId: string;
  appId: string;
  approval: CallApproval;
  run: Run | undefined;
  canDecide: boolean;
  nameOf: (userId: string) => string;
};

function PendingCall({ workspaceId, appId, approval, run, canDecide, nameOf }: PendingCallProps) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') => api.decideCall(workspaceId, approval.id, decision),
    onSuccess: async (result) => {
      toast.show({ title: result.state === 'approved' ? 'Call approved' : 'Call denied', description: 'The agent run continues.' });
      await refreshAgents(queryClient, workspaceId, appId);
    },
    onError: (error) => toast.show({ title: 'Could not decide the call', description: errorMessage(error), tone: 'error' }),
  });
  return (
    <Card data-testid="pending-call" data-approval-id={approval.id}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Hand className="size-4 text-warning" aria-hidden /> {approval.agentId} wants to call {approval.tool}
        </CardTitle>
        <p className="text-xs text-muted-foreground">
          Asked <time dateTime={approval.requestedAt}>{formatDateTime(approval.requestedAt)}</time>
          {run ? ` · in a run started by ${nameOf(run.createdBy)}` : ''}
        </p>
      </CardHeader>
      <CardContent>
        <CallPreview tool={approval.tool} host={approval.host} preview={approval.preview} />
      </CardContent>
      <CardFooter>
        {canDecide ? (
          <>
            <Button
              size="sm"
              loading={decide.isPending && decide.variables === 'approve'}
              disabled={decide.isPending}
              onClick={() => decide.mutate('approve')}
              data-testid="call-approve"
            >
              <Check aria-hidden /> Approve this call
            </Button>
            <Button
              size="sm"
              variant="outline"
              loading={decide.isPending && decide.variables === 'reject'}
              disabled={decide.isPending}
              onClick={() => decide.mutate('reject')}
              data-testid="call-deny"
            >
              <X aria-hidden /> Deny
            </Button>
          </>
        ) : (
          <span className="text-[13px] text-muted-foreground">The person who started this run, an admin or an owner decides.</span>
        )}
      </CardFooter>
    </Card>
  );
}
