import type { RunStatus } from '@hangar/protocol';
import { CircleCheck, CircleDashed, CircleStop, CircleX, Hand, LoaderCircle, type LucideIcon } from 'lucide-react';
import { Badge } from '../../components/ui/badge';

type StatusLook = {
  label: string;
  icon: LucideIcon;
  variant: 'default' | 'neutral' | 'outline' | 'success' | 'warning' | 'destructive';
  spin?: boolean;
};

export const runStatusLooks: Record<RunStatus, StatusLook> = {
  queued: { label: 'Queued', icon: CircleDashed, variant: 'neutral' },
  running: { label: 'Building', icon: LoaderCircle, variant: 'default', spin: true },
  awaiting_approval: { label: 'Needs your review', icon: Hand, variant: 'warning' },
  succeeded: { label: 'Ready', icon: CircleCheck, variant: 'success' },
  failed: { label: 'Failed', icon: CircleX, variant: 'destructive' },
  // Outlined, so a stopped run never looks like one still waiting in the queue.
  stopped: { label: 'Stopped', icon: CircleStop, variant: 'outline' },
};

type RunStatusBadgeProps = { status: RunStatus; className?: string; testId?: string };

/** The state of a run in a word and an icon. */
export function RunStatusBadge({ status, className, testId }: RunStatusBadgeProps) {
  const look = runStatusLooks[status];
  return (
    <Badge variant={look.variant} className={className} data-testid={testId} data-status={status}>
      <look.icon className={look.spin ? 'animate-spin' : undefined} aria-hidden />
      {look.label}
    </Badge>
  );
}
