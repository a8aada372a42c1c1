import type { AgentsConfigResponse } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BadgeCheck, ShieldQuestion } from 'lucide-react';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '../../components/ui/card';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { DiffView } from '../builder/diff-view';
import { agentKeys, agentSettingsQuery, refreshAgents } from './agents-queries';
import { diffLineCounts } from './line-diff';

type ApprovalCardProps = {
  workspaceId: string;
  appId: string;
  config: AgentsConfigResponse;
  /** Owners and admins approve. */
  canApprove: boolean;
  /** The editor holds changes that are not saved: the approval covers the saved configuration only. */
  dirty: boolean;
  meId: string;
};

/** A hash shortened for reading (the full one is in the title). */
export const shortHash = (hash: string) => hash.replace(/^(agents-v\d+:sha256:)([0-9a-f]{12})[0-9a-f]*$/, '$1$2…');

/** Who approved the configuration when, whether it is still current, what changed since, and the approve action. */
export function ApprovalCard({ workspaceId, appId, config, canApprove, dirty, meId }: ApprovalCardProps) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const settings = useQuery({ ...agentSettingsQuery(workspaceId), enabled: canApprove });
  const approve = useMutation({
    mutationFn: (hash: string) => api.approveAgents(workspaceId, appId, hash),
    onSuccess: async (next) => {
      queryClient.setQueryData(agentKeys.config(workspaceId, appId), next);
      toast.show({ title: 'Agents approved', description: 'Draft runs now use the real tools and the allowed app data.' });
      await refreshAgents(queryClient, workspaceId, appId);
    },
  });
  const { approval, hash } = config;
  const current = approval !== null && approval.state === 'current';
  const selfEdited = settings.data?.forbidSelfApproval === true && config.lastEditedBy === meId;
  const blocked = !hash
    ? 'Save a configuration first.'
    : !config.validation.valid
      ? 'Fix the problems in the configuration first.'
      : dirty
        ? 'Save or discard your edits first: an approval covers the saved configuration.'
        : selfEdited
          ? 'This workspace requires someone else to approve a configuration you edited.'
          : null;
  const counts = config.diffSinceApproval ? diffLineCounts(config.diffSinceApproval) : null;

  return (
    <Card data-testid="agents-approval">
      <CardHeader>
        <div className="flex items-center justify-between gap-2">
          <CardTitle>Approval</CardTitle>
          {approval === null ? (
            <Badge variant="neutral" data-testid="approval-state" data-state="none">
              Not approved
            </Badge>
          ) : current ? (
            <Badge variant="success" data-testid="approval-state" data-state="current">
              <BadgeCheck aria-hidden /> Approved · current
            </Badge>
          ) : (
            <Badge variant="warning" data-testid="approval-state" data-state="stale">
              Stale · changed since approval
            </Badge>
          )}
        </div>
        <CardDescription>
          {current
            ? 'Draft runs use the real tools, the secrets and the allowed app data.'
            : hash
              ? 'Until an admin or owner approves what is saved now, draft runs get mock tool answers and no app data.'
              : 'Once agents.json is saved, an admin or owner approves it. Until then agents run with mock tool answers and no app data.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-[13px]">
        {approval ? (
          <p data-testid="approval-by">
            {current ? 'Approved' : 'Last approved'} by <span className="font-medium">{approval.approvedByName}</span>{' '}
            <time dateTime={approval.approvedAt} title={formatDateTime(approval.approvedAt)}>
              {formatRelative(approval.approvedAt)}
            </time>
            <span className="block font-mono text-xs text-muted-foreground" title={approval.hash}>
              {shortHash(approval.hash)}
            </span>
          </p>
        ) : (
          <p className="flex items-center gap-1.5 text-muted-foreground">
            <ShieldQuestion className="size-4" aria-hidden /> Nobody has approved this app&apos;s agents yet.
          </p>
        )}
        {config.diffSinceApproval && counts ? (
          <div className="flex flex-col gap-1.5" data-testid="approval-diff">
            <p className="font-medium">
              Changes since the last approval{' '}
              <span className="font-normal text-muted-foreground">
                (+{counts.added} −{counts.removed} lines)
              </span>
            </p>
            <DiffView diff={config.diffSinceApproval} className="max-h-72" />
          </div>
        ) : null}
        {hash && !current ? (
          <p className="text-muted-foreground">
            Saved configuration:{' '}
            <span className="font-mono text-xs text-foreground" title={hash} data-testid="approval-hash">
              {shortHash(hash)}
            </span>
          </p>
        ) : null}
        {approve.isError ? <Alert title="Could not approve">{errorMessage(approve.error)}</Alert> : null}
      </CardContent>
      {hash && !current ? (
        <CardFooter className="flex-wrap">
          {canApprove ? (
            <>
              <Button
                size="sm"
                disabled={blocked !== null}
                loading={approve.isPending}
                onClick={() => approve.mutate(hash)}
                data-testid="approve-agents"
                title={`Approve ${hash}`}
              >
                <BadgeCheck aria-hidden />
                Approve this configuration
              </Button>
              {blocked ? <span className="text-[13px] text-muted-foreground">{blocked}</span> : null}
            </>
          ) : (
            <span className="text-[13px] text-muted-foreground">An admin or owner approves the saved configuration.</span>
          )}
        </CardFooter>
      ) : null}
    </Card>
  );
}
