import type { ReviewState } from '@hangar/protocol';
import { Badge } from '../../components/ui/badge';

const labels: Record<ReviewState, { label: string; variant: 'default' | 'success' | 'warning' | 'neutral' }> = {
  pending: { label: 'Review pending', variant: 'default' },
  approved: { label: 'Approved', variant: 'success' },
  changes_requested: { label: 'Changes requested', variant: 'warning' },
  stale: { label: 'Stale', variant: 'neutral' },
};

/** A review's state as a badge. */
export function ReviewStateBadge({ state }: { state: ReviewState }) {
  const { label, variant } = labels[state];
  return (
    <Badge variant={variant} data-testid="review-state">
      {label}
    </Badge>
  );
}
