import type { Review } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Rocket } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { useToast } from '../../components/ui/toast';
import { errorMessage } from '../../lib/api';
import { AccessRulesSummary } from './access-rules-summary';
import { governanceApi, refreshGovernance } from './governance-api';

/** Publishes an approved review's version: says what users will get and which access rules take effect. */
export function PublishDialog({ review }: { review: Review }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const publish = useMutation({
    mutationFn: () => governanceApi.publish(review.workspaceId, review.appId, review.versionId),
    onSuccess: async () => {
      setOpen(false);
      toast.show({ title: `${review.appName} version ${review.versionNumber} is published` });
      await refreshGovernance(queryClient, review.workspaceId);
    },
  });
  return (
    <Dialog open={open} onOpenChange={(next) => (setOpen(next), publish.reset())}>
      <DialogTrigger asChild>
        <Button size="sm" data-testid="publish-open">
          <Rocket aria-hidden />
          Publish
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            Publish {review.appName} version {review.versionNumber}
          </DialogTitle>
          <DialogDescription>
            Everyone it is visible to will use exactly this build, with these access rules. The draft stays where it is.
          </DialogDescription>
        </DialogHeader>
        <AccessRulesSummary rules={review.rules} published={review.publishedRules} />
        {publish.isError ? <Alert title="Could not publish">{errorMessage(publish.error)}</Alert> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button loading={publish.isPending} onClick={() => publish.mutate()} data-testid="publish-confirm">
            Publish
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
