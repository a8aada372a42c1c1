import type { ReviewState } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { Inbox } from 'lucide-react';
import { useState } from 'react';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { Button } from '../components/ui/button';
import { EmptyState } from '../components/ui/empty-state';
import { Skeleton } from '../components/ui/skeleton';
import { reviewsQuery } from '../features/governance/governance-api';
import { ReviewCard } from '../features/governance/review-card';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { isAdmin } from '../lib/roles';

const tabs: { state: ReviewState | undefined; label: string }[] = [
  { state: 'pending', label: 'Pending' },
  { state: 'approved', label: 'Approved' },
  { state: 'changes_requested', label: 'Changes requested' },
  { state: 'stale', label: 'Stale' },
  { state: undefined, label: 'All' },
];

/** `/w/:workspaceId/reviews`: the review inbox. Admins decide and publish; builders follow their requests. */
export function ReviewsPage() {
  const workspace = useWorkspace();
  const [state, setState] = useState<ReviewState | undefined>('pending');
  const reviews = useQuery(reviewsQuery(workspace.id, state ? { state } : {}));
  const admin = isAdmin(workspace.role);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Reviews"
        description={admin ? 'Versions waiting for your decision, with what changed and who may use their data.' : 'Your review requests and their decisions.'}
      />
      <div className="flex flex-wrap gap-1" role="tablist" aria-label="Review state">
        {tabs.map((tab) => (
          <Button
            key={tab.label}
            size="sm"
            role="tab"
            aria-selected={tab.state === state}
            variant={tab.state === state ? 'default' : 'ghost'}
            onClick={() => setState(tab.state)}
            data-testid={`reviews-tab-${tab.state ?? 'all'}`}
          >
            {tab.label}
          </Button>
        ))}
      </div>
      {reviews.isPending ? (
        <div className="flex flex-col gap-3" aria-busy aria-label="Loading reviews">
          <Skeleton className="h-40" />
          <Skeleton className="h-40" />
        </div>
      ) : reviews.isError ? (
        <QueryError error={reviews.error} what="reviews" onRetry={() => reviews.refetch()} retrying={reviews.isFetching} />
      ) : reviews.data.length === 0 ? (
        <EmptyState icon={Inbox} title="Nothing here" description="When a builder requests a review of a version, it shows up here." />
      ) : (
        <div className="flex flex-col gap-4">
          {reviews.data.map((review) => (
            <ReviewCard key={review.id} review={review} canDecide={admin} />
          ))}
        </div>
      )}
    </div>
  );
}
