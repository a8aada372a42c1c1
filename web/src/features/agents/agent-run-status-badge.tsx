import type { RunStatus } from '@hangar/protocol';
import { CircleCheck, CircleDashed, CircleStop, CircleX, Hand, LoaderCircle, type LucideIcon } from 'lucide-react';
import { Badge } from '../../components/ui/badge';

const looks: Record<
  RunStatus,
  { label: string; icon: LucideIcon; variant: 'neutral' | 'default' | 'warning' | 'success' | 'destructive' | 'outline'; spin?: boolean }
> = {
  queued: { label: 'Queued', icon: CircleDashed, variant: 'neutral' },
  running: { label: 'Running', icon: LoaderCircle, variant: 'default', spin: true },
  awaiting_approval: { label: 'Waiting for a call approval', icon: Hand, variant: 'warning' },
  succeeded: { label: 'Succeeded', icon: CircleCheck, variant: 'success' },
  failed: { label: 'Failed', icon: CircleX, variant: 'destructive' },
  stopped: { label: 'Stopped', icon: CircleStop, variant: 'outline' },
};

/** The state of an agent run in agent words (the builder's badge says "Building"). */
export function AgentRunStatusBadge({ status }: { status: RunStatus }) {
  const look = looks[status];
  return (
    <Badge variant={look.variant} data-testid="agent-run-status" data-status={status}>
      <look.icon className={look.spin ? 'animate-spin' : undefined} aria-hidden />
      {look.label}
    </Badge>
  );
}
