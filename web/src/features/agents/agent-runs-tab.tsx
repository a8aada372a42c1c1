import type { AgentsConfigResponse, AgentsDocument } from '@hangar/protocol';
import { validateAgentsDocument } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { Bot } from 'lucide-react';
import { useMemo, useState } from 'react';
import { QueryError } from '../../components/query-error';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { formatRelative } from '../../lib/format';
import { cn } from '../../lib/utils';
import { AgentRunStatusBadge } from './agent-run-status-badge';
import { AgentRunTranscript } from './agent-run-transcript';
import { agentRunsQuery } from './agents-queries';
import { parseJsonOrUndefined } from './required-secrets';
import { RunAgentForm } from './run-agent-form';

type AgentRunsTabProps = { workspaceId: string; appId: string; config: AgentsConfigResponse; nameOf: (userId: string) => string };

/** The saved document when it validates (a run needs a valid configuration). */
function savedDocument(config: AgentsConfigResponse): AgentsDocument | null {
  if (!config.validation.valid) return null;
  return validateAgentsDocument(parseJsonOrUndefined(config.text)).document;
}

/** Start a run by hand, and read every run's transcript and tool calls. */
export function AgentRunsTab({ workspaceId, appId, config, nameOf }: AgentRunsTabProps) {
  const runs = useQuery(agentRunsQuery(workspaceId, appId));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const document = useMemo(() => savedDocument(config), [config]);
  const selected = runs.data?.find((run) => run.id === selectedId) ?? runs.data?.[0] ?? null;

  return (
    <div className="grid min-h-0 flex-1 gap-4 overflow-auto p-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <div className="flex flex-col gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Run an agent</CardTitle>
          </CardHeader>
          <CardContent>
            {document ? (
              <RunAgentForm
                workspaceId={workspaceId}
                appId={appId}
                document={document}
                live={config.approval?.state === 'current'}
                onStarted={(run) => setSelectedId(run.id)}
              />
            ) : (
              <p className="text-[13px] text-muted-foreground">
                {config.text === null ? 'Save an agents.json first.' : 'Fix the problems in agents.json first.'}
              </p>
            )}
          </CardContent>
        </Card>
        <section className="flex flex-col gap-2" aria-label="Agent runs">
          <h2 className="text-sm font-semibold">Run history</h2>
          {runs.isPending ? (
            <div className="flex flex-col gap-2" aria-busy aria-label="Loading runs">
              <Skeleton className="h-12" />
              <Skeleton className="h-12" />
            </div>
          ) : runs.isError ? (
            <QueryError error={runs.error} what="agent runs" onRetry={() => runs.refetch()} retrying={runs.isFetching} />
          ) : runs.data.length === 0 ? (
            <EmptyState icon={Bot} title="No runs yet" description="Runs started here, from the app or by a schedule appear here." />
          ) : (
            <ul className="flex flex-col gap-1.5">
              {runs.data.map((run) => (
                <li key={run.id}>
                  <button
                    type="button"
                    onClick={() => setSelectedId(run.id)}
                    aria-current={selected?.id === run.id || undefined}
                    className={cn(
                      'flex w-full flex-col gap-1 rounded-lg border bg-card px-3 py-2 text-left outline-none hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring',
                      selected?.id === run.id && 'border-primary/40 bg-accent/40',
                    )}
                    data-testid="agent-run-row"
                    data-run-id={run.id}
                  >
                    <span className="flex items-center gap-2">
                      <span className="min-w-0 flex-1 truncate text-[13px] font-medium">{run.prompt}</span>
                      <AgentRunStatusBadge status={run.status} />
                    </span>
                    <span className="text-xs text-muted-foreground">
                      {formatRelative(run.createdAt)} · by {nameOf(run.createdBy)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <div className="min-w-0">
        {selected ? (
          <Card>
            <CardContent>
              <AgentRunTranscript key={selected.id} workspaceId={workspaceId} appId={appId} run={selected} nameOf={nameOf} />
            </CardContent>
          </Card>
        ) : runs.isSuccess ? (
          <p className="p-4 text-[13px] text-muted-foreground">Select a run to read its transcript.</p>
        ) : null}
      </div>
    </div>
  );
}
