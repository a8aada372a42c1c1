import { useQueryClient } from '@tanstack/react-query';
import { UserMinus } from 'lucide-react';
import type { Membership } from '@hangar/protocol';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Button } from '../../components/ui/button';
import { useToast } from '../../components/ui/toast';
import { api } from '../../lib/api';
import { queryKeys } from '../../lib/queries';

/** A remove button that asks for confirmation before taking someone out of the workspace. */
export function RemoveMemberDialog({ member, workspaceName }: { member: Membership; workspaceName: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon-sm" aria-label={`Remove ${member.name}`} data-testid={`remove-member-${member.email}`}>
          <UserMinus className="text-muted-foreground" aria-hidden />
        </Button>
      }
      title={`Remove ${member.name}?`}
      description={`${member.email} will lose access to ${workspaceName} and its apps right away. You can invite them again later.`}
      confirmLabel="Remove member"
      errorTitle="Could not remove this member"
      destructive
      confirmTestId="remove-member-confirm"
      action={async () => {
        await api.removeMember(member.workspaceId, member.userId);
        toast.show({ title: `Removed ${member.name}` });
        await queryClient.invalidateQueries({ queryKey: queryKeys.workspace(member.workspaceId) });
      }}
    />
  );
}
