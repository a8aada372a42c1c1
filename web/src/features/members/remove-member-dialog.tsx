import type { Membership } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserMinus } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '../../components/ui/dialog';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { queryKeys } from '../../lib/queries';

/** A remove button that asks for confirmation before taking someone out of the workspace. */
export function RemoveMemberDialog({ member, workspaceName }: { member: Membership; workspaceName: string }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api.removeMember(member.workspaceId, member.userId),
    onSuccess: async () => {
      setOpen(false);
      toast.show({ title: `Removed ${member.name}` });
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspace(member.workspaceId) });
    },
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) remove.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon-sm" aria-label={`Remove ${member.name}`} data-testid={`remove-member-${member.email}`}>
          <UserMinus className="text-muted-foreground" aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent role="alertdialog">
        <DialogHeader>
          <DialogTitle>Remove {member.name}?</DialogTitle>
          <DialogDescription>
            {member.email} will lose access to {workspaceName} and its apps right away. You can invite them again later.
          </DialogDescription>
        </DialogHeader>
        {remove.isError ? <Alert title="Could not remove this member">{errorMessage(remove.error)}</Alert> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" loading={remove.isPending} onClick={() => remove.mutate()} data-testid="remove-member-confirm">
            Remove member
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
