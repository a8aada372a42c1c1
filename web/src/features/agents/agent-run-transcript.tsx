import type { Run } from '@hangar/protocol';
import { Check, Hand, X } from 'lucide-react';
import { useMemo } from 'react';
import { Skeleton } from '../../components/ui/skeleton';
import { formatDateTime } from '../../lib/format';
import { isTerminal } from '../builder/chat/transcript';
import { TranscriptBlock, type BlockContext } from '../builder/chat/transcript-block';
import { useRunStream } from '../builder/use-run-stream';
import { AgentRunStatusBadge } from './agent-run-status-badge';
import { buildAgentTranscript } from './agent-transcript';
import { CallPreview } from './call-preview';

const readOnlyContext = (active: boolean): BlockContext => ({
  active,
  canRetry: false,
  retrying: false,
  onRetry: () => undefined,
  decidablePlanKey: null,
  deciding: false,
  onDecide: () => undefined,
});

/** One agent run, live: what it was asked, its text, each tool call with its result, call approvals and the outcome. */
export function AgentRunTranscript({
  workspaceId,
  appId,
  run,
  nameOf,
}: {
  workspaceId: string;
  appId: string;
  run: Run;
  nameOf: (userId: string) => string;
}) {
  const stream = useRunStream({ workspaceId, appId, runId: run.id });
  const items = useMemo(() => buildAgentTranscript(stream.events), [stream.events]);
  const context = readOnlyContext(!isTerminal(run.status));
  const hasOutcome = items.some((item) => item.kind === 'failed' || item.kind === 'stopped' || item.kind === 'succeeded');

  return (
    <article className="flex flex-col gap-3" data-testid="agent-run-transcript" data-run-id={run.id}>
      <header className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold">{run.prompt}</h3>
        <AgentRunStatusBadge status={run.status} />
        <span className="text-xs text-muted-foreground">
          {formatDateTime(run.createdAt)}
          {run.model ? ` · ${run.model}` : ''}
          {run.usage.costUsd > 0 ? ` · $${run.usage.costUsd.toFixed(4)}` : ''}
        </span>
      </header>
      {stream.events.length === 0 && !stream.error ? (
        <div className="flex flex-col gap-2" aria-busy aria-label="Loading the transcript">
          <Skeleton className="h-8" />
          <Skeleton className="h-16" />
        </div>
      ) : null}
      {stream.error ? <p className="text-[13px] text-destructive">The live transcript is unavailable: {stream.error}</p> : null}
      {items.map((item) => {
        if (item.kind === 'user') return null;
        if (item.kind === 'call-approval')
          return (
            <div
              key={item.key}
              className="rounded-lg border border-warning/40 bg-warning/5 px-3 py-2.5"
              data-testid="transcript-call-approval"
            >
              <p className="mb-2 flex items-center gap-1.5 text-[13px] font-medium">
                <Hand className="size-3.5" aria-hidden /> Waited for a person to approve this call
              </p>
              <CallPreview tool={item.tool} host={item.host} preview={item.preview} />
            </div>
          );
        if (item.kind === 'call-decision')
          return (
            <p key={item.key} className="flex items-center gap-1.5 text-[13px] text-muted-foreground">
              {item.decision === 'approved' ? (
                <Check className="size-3.5 text-success" aria-hidden />
              ) : (
                <X className="size-3.5 text-destructive" aria-hidden />
              )}
              Call {item.decision} by {nameOf(item.by)}
            </p>
          );
        if (item.kind === 'tool' && item.input !== undefined)
          return (
            <div key={item.key} className="flex flex-col gap-1">
              <p
                className="truncate font-mono text-xs text-muted-foreground"
                data-testid="tool-call-input"
                title={JSON.stringify(item.input)}
              >
                {item.name}({JSON.stringify(item.input)})
              </p>
              <TranscriptBlock item={item} context={context} />
            </div>
          );
        return <TranscriptBlock key={item.key} item={item} context={context} />;
      })}
      {!hasOutcome && run.status === 'failed' && run.failureReason ? (
        <p className="text-[13px] text-destructive">Failed: {run.failureReason}</p>
      ) : null}
    </article>
  );
}
