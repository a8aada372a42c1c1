import type { AgentSettingsView, Run } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { QueryError } from '../../components/query-error';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '../../components/ui/card';
import { Input } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Skeleton } from '../../components/ui/skeleton';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { agentKeys, agentSettingsQuery } from './agents-queries';

/** This app's share of the limits: runs in progress and model spend this calendar month (UTC). */
export function appUsage(runs: readonly Run[], now: Date): { active: number; spentUsd: number } {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return {
    active: runs.filter((run) => run.status === 'queued' || run.status === 'running' || run.status === 'awaiting_approval').length,
    spentUsd: runs.filter((run) => new Date(run.createdAt).getTime() >= monthStart).reduce((sum, run) => sum + run.usage.costUsd, 0),
  };
}

type AgentSettingsCardProps = { workspaceId: string; canEdit: boolean; runs: readonly Run[] | undefined };

/** Workspace-wide agent limits: concurrent runs, monthly spend, and whether you may approve your own edit. */
export function AgentSettingsCard({ workspaceId, canEdit, runs }: AgentSettingsCardProps) {
  const settings = useQuery(agentSettingsQuery(workspaceId));
  const toast = useToast();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<AgentSettingsView | null>(null);
  const concurrentId = useId();
  const spendId = useId();
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (next: AgentSettingsView) => api.saveAgentSettings(workspaceId, next),
    onSuccess: (next) => {
      queryClient.setQueryData(agentKeys.settings(workspaceId), next);
      toast.show({ title: 'Agent settings saved' });
    },
  });
  const usage = runs ? appUsage(runs, new Date()) : null;
  const changed = draft !== null && settings.data !== undefined && JSON.stringify(draft) !== JSON.stringify(settings.data);

  return (
    <Card data-testid="agent-settings">
      <CardHeader>
        <CardTitle>Workspace agent settings</CardTitle>
        <CardDescription>These apply to every app in the workspace.{canEdit ? '' : ' Admins and owners change them.'}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {settings.isPending || !draft ? (
          settings.isError ? (
            <QueryError error={settings.error} what="agent settings" onRetry={() => settings.refetch()} retrying={settings.isFetching} />
          ) : (
            <Skeleton className="h-24" />
          )
        ) : (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={concurrentId}>Agent runs at once</Label>
                <Input
                  id={concurrentId}
                  type="number"
                  min={1}
                  max={50}
                  disabled={!canEdit}
                  value={draft.maxConcurrentRuns}
                  onChange={(event) => setDraft({ ...draft, maxConcurrentRuns: Number(event.target.value) })}
                  data-testid="settings-concurrent"
                />
                {usage ? <p className="text-xs text-muted-foreground">{usage.active} in progress in this app now</p> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor={spendId}>Monthly spend limit (USD)</Label>
                <Input
                  id={spendId}
                  type="number"
                  min={0}
                  max={100000}
                  step="0.01"
                  disabled={!canEdit}
                  value={draft.monthlySpendLimitUsd}
                  onChange={(event) => setDraft({ ...draft, monthlySpendLimitUsd: Number(event.target.value) })}
                  data-testid="settings-spend"
                />
                {usage ? (
                  <p className="text-xs text-muted-foreground">${usage.spentUsd.toFixed(2)} spent by this app&apos;s agents this month</p>
                ) : null}
              </div>
            </div>
            <label className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                disabled={!canEdit}
                checked={draft.forbidSelfApproval}
                onChange={(event) => setDraft({ ...draft, forbidSelfApproval: event.target.checked })}
                data-testid="settings-forbid-self-approval"
              />
              <span>
                <span className="font-medium">Forbid approving your own edit</span>
                <span className="block text-[13px] text-muted-foreground">
                  Someone other than the last editor of agents.json must approve it.
                </span>
              </span>
            </label>
            {save.isError ? <Alert title="Could not save the settings">{errorMessage(save.error)}</Alert> : null}
          </>
        )}
      </CardContent>
      {canEdit && draft ? (
        <CardFooter>
          <Button size="sm" disabled={!changed} loading={save.isPending} onClick={() => save.mutate(draft)} data-testid="settings-save">
            Save settings
          </Button>
          {changed ? (
            <Button size="sm" variant="ghost" onClick={() => setDraft(settings.data ?? draft)}>
              Discard
            </Button>
          ) : null}
        </CardFooter>
      ) : null}
    </Card>
  );
}
