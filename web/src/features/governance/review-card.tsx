import type { Review } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Check, MessageSquareWarning } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card';
import { Textarea } from '../../components/ui/textarea';
import { errorMessage } from '../../lib/api';
import { formatRelative } from '../../lib/format';
import { versionsQuery } from '../../lib/queries';
import { VersionDiff } from '../builder/versions/version-diff';
import { AccessRulesSummary } from './access-rules-summary';
import { governanceApi, refreshGovernance } from './governance-api';
import { PublishDialog } from './publish-dialog';
import { ReviewStateBadge } from './review-state-badge';
import { VersionFileList } from './version-file-list';

/** One review in the inbox: what is asked, the changes against the published version, the rules, the decision. */
export function ReviewCard({ review, canDecide }: { review: Review; canDecide: boolean }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const versions = useQuery(versionsQuery(review.workspaceId, review.appId));
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'request_changes') =>
      governanceApi.decideReview(review.workspaceId, review.id, { decision, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => refreshGovernance(queryClient, review.workspaceId),
  });
  const to = versions.data?.find((version) => version.id === review.versionId);
  const from = versions.data?.find((version) => version.id === review.publishedVersionId);

  return (
    <Card data-testid="review-card">
      <CardHeader className="flex flex-row flex-wrap items-center gap-2">
        <CardTitle className="text-base">
          <Link className="hover:underline" to={`/w/${review.workspaceId}/apps/${review.appId}`}>
            {review.appName}
          </Link>{' '}
          · version {review.versionNumber}
        </CardTitle>
        <ReviewStateBadge state={review.state} />
        <span className="text-xs text-muted-foreground">
          requested by {review.requestedByName} {formatRelative(review.requestedAt)}
        </span>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {review.note ? <p className="text-sm">“{review.note}”</p> : null}
        {review.staleReason ? <p className="text-sm text-muted-foreground">Stale: {review.staleReason}.</p> : null}
        {review.decisionNote ? (
          <p className="text-sm">
            {review.decidedByName}: “{review.decisionNote}”
          </p>
        ) : null}
        <section className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">Who may use its data</h3>
          <AccessRulesSummary rules={review.rules} published={review.publishedRules} />
        </section>
        <section className="flex flex-col gap-2" data-testid="review-diff">
          <h3 className="text-sm font-semibold">{from ? `Changes since the published version ${from.number}` : 'Nothing published yet: every file is new'}</h3>
          {to && from ? <VersionDiff workspaceId={review.workspaceId} appId={review.appId} to={to} from={from} /> : null}
          {!from ? <VersionFileList workspaceId={review.workspaceId} appId={review.appId} versionId={review.versionId} /> : null}
        </section>
        {decide.isError ? <Alert title="Could not record the decision">{errorMessage(decide.error)}</Alert> : null}
        {canDecide && review.state === 'pending' ? (
          <div className="flex flex-col gap-2">
            <Textarea rows={2} placeholder="A note for the builder (optional)" value={note} onChange={(event) => setNote(event.target.value)} data-testid="review-note" />
            <div className="flex gap-2">
              <Button size="sm" onClick={() => decide.mutate('approve')} loading={decide.isPending && decide.variables === 'approve'} data-testid="review-approve">
                <Check aria-hidden />
                Approve
              </Button>
              <Button size="sm" variant="outline" onClick={() => decide.mutate('request_changes')} loading={decide.isPending && decide.variables === 'request_changes'} data-testid="review-request-changes">
                <MessageSquareWarning aria-hidden />
                Request changes
              </Button>
            </div>
          </div>
        ) : null}
        {canDecide && review.state === 'approved' && !review.publishedAt && review.publishedVersionId !== review.versionId ? (
          <div>
            <PublishDialog review={review} />
          </div>
        ) : null}
        {review.publishedAt ? <p className="text-sm text-success">Published {formatRelative(review.publishedAt)}.</p> : null}
      </CardContent>
    </Card>
  );
}
