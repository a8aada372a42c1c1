import type { AuditOutcome } from '@hangar/protocol';
import { Badge } from '../../components/ui/badge';

const variants = { success: 'success', denied: 'warning', failure: 'destructive' } as const;
const labels: Record<AuditOutcome, string> = { success: 'Success', denied: 'Denied', failure: 'Failure' };

/** Whether an audited action succeeded, was refused, or failed. */
export function OutcomeBadge({ outcome }: { outcome: AuditOutcome }) {
  return (
    <Badge variant={variants[outcome]}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden />
      {labels[outcome]}
    </Badge>
  );
}
