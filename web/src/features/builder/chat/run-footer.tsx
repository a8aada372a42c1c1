import type { Run, RunStatus } from '@hangar/protocol';
import { Square } from 'lucide-react';
import { Button } from '../../../components/ui/button';
import { formatRelative } from '../../../lib/format';
import { RunStatusBadge } from '../run-status-badge';

type RunFooterProps = {
  run: Run;
  status: RunStatus;
  connected: boolean;
  streamError: string | null;
  canStop: boolean;
  stopping: boolean;
  onStop: () => void;
};

const numberFormat = new Intl.NumberFormat();

/** The run's state in one line: status, whether it streams live, usage, and Stop while it runs. */
export function RunFooter({ run, status, connected, streamError, canStop, stopping, onStop }: RunFooterProps) {
  const active = status === 'queued' || status === 'running' || status === 'awaiting_approval';
  const tokens = run.usage.inputTokens + run.usage.outputTokens;

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-t border-dashed pt-2.5 text-xs text-muted-foreground">
      <RunStatusBadge status={status} testId="run-status" />
      {active ? (
        connected ? (
          <span className="flex items-center gap-1.5" data-testid="run-live">
            <span className="relative flex size-2">
              <span className="absolute inline-flex size-full animate-ping rounded-full bg-success/60" />
              <span className="relative inline-flex size-2 rounded-full bg-success" />
            </span>
            Live
          </span>
        ) : (
          <span className="flex items-center gap-1.5" data-testid="run-reconnecting">
            <span className="size-2 rounded-full bg-warning" />
            Reconnecting…
          </span>
        )
      ) : (
        <span>{formatRelative(run.finishedAt ?? run.createdAt)}</span>
      )}
      {!active && run.provider === 'offline' ? (
        <span title="The offline generator writes apps from templates without a model, so it uses no model tokens and costs nothing.">
          Offline generator · no model used
        </span>
      ) : !active && tokens > 0 ? (
        <span title={`${numberFormat.format(run.usage.inputTokens)} in · ${numberFormat.format(run.usage.outputTokens)} out`}>
          {numberFormat.format(tokens)} tokens{run.usage.costUsd > 0 ? ` · $${run.usage.costUsd.toFixed(3)}` : ''}
        </span>
      ) : null}
      {streamError ? <span className="text-destructive">{streamError}</span> : null}
      {canStop ? (
        <Button size="sm" variant="outline" className="ml-auto h-7" data-testid="stop-run" loading={stopping} onClick={onStop}>
          {stopping ? null : <Square className="fill-current" aria-hidden />}
          Stop
        </Button>
      ) : null}
    </div>
  );
}
