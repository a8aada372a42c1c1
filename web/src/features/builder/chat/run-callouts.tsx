import { CircleCheck, CircleStop, CircleX, GitCommitHorizontal, RotateCw } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button';
import { cn } from '../../../lib/utils';
import { AssistantText } from './assistant-text';

export type RetryProps = { canRetry: boolean; retrying: boolean; onRetry: () => void };

function RetryButton({ canRetry, retrying, onRetry }: RetryProps) {
  if (!canRetry) return null;
  return (
    <Button size="sm" variant="outline" data-testid="retry-run" loading={retrying} onClick={onRetry}>
      {retrying ? null : <RotateCw aria-hidden />}
      Retry
    </Button>
  );
}

type CalloutProps = { tone: 'error' | 'neutral'; icon: ReactNode; title: string; children?: ReactNode; action?: ReactNode; testId: string };

function Callout({ tone, icon, title, children, action, testId }: CalloutProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={cn(
        'flex items-start gap-3 rounded-lg border px-3.5 py-3 text-sm',
        tone === 'error' ? 'border-destructive/25 bg-destructive/5' : 'bg-muted/50',
      )}
    >
      <span className="mt-0.5 shrink-0">{icon}</span>
      <div className="min-w-0 flex-1">
        <p className={cn('font-medium', tone === 'error' && 'text-destructive')}>{title}</p>
        {children ? <div className="mt-0.5 text-[13px] break-words text-foreground/80">{children}</div> : null}
      </div>
      {action ? <div className="shrink-0">{action}</div> : null}
    </div>
  );
}

/** A run that failed: why, and a way to run the same prompt again. */
export function RunFailedCallout({ reason, ...retry }: { reason: string } & RetryProps) {
  return (
    <Callout
      tone="error"
      testId="run-failed"
      icon={<CircleX className="size-4 text-destructive" aria-hidden />}
      title="The run failed"
      action={<RetryButton {...retry} />}
    >
      {reason || 'No reason was given.'}
    </Callout>
  );
}

/** A run someone stopped. */
export function RunStoppedCallout({ by, ...retry }: { by: string | null } & RetryProps) {
  return (
    <Callout
      tone="neutral"
      testId="run-stopped"
      icon={<CircleStop className="size-4 text-muted-foreground" aria-hidden />}
      title="The run was stopped"
      action={<RetryButton {...retry} />}
    >
      {by ? `Stopped by ${by}.` : null}
    </Callout>
  );
}

/** The agent finished: its closing summary, unless it only repeats the last message. */
export function RunSucceededNote({ summary }: { summary: string }) {
  return (
    <div data-testid="run-succeeded" className="flex items-start gap-2 text-[13px] text-foreground/80">
      <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
      {summary ? <AssistantText text={summary} className="text-[13px]" /> : <p className="font-medium text-success">Finished</p>}
    </div>
  );
}

/** A version made by this run. */
export function VersionChip({ number, fileCount }: { number: number; fileCount: number }) {
  return (
    <span
      data-testid="version-chip"
      className="inline-flex w-fit items-center gap-1.5 rounded-full border bg-card px-2.5 py-0.5 text-xs font-medium"
    >
      <GitCommitHorizontal className="size-3.5 text-primary" aria-hidden />
      Version {number}
      <span className="font-normal text-muted-foreground">· {fileCount} files</span>
    </span>
  );
}
