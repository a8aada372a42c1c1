import type { Invitation } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '../../components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { formatRelative } from '../../lib/format';
import { queryKeys } from '../../lib/queries';
import { RoleBadge } from '../workspaces/role-badge';

function RevokeButton({ invitation }: { invitation: Invitation }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation({
    mutationFn: () => api.revokeInvitation(invitation.workspaceId, invitation.id),
    onSuccess: async () => {
      toast.show({ title: `Revoked the invitation for ${invitation.email}` });
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations(invitation.workspaceId) });
    },
    onError: (error) => toast.show({ tone: 'error', title: 'Could not revoke the invitation', description: errorMessage(error) }),
  });
  return (
    <Button variant="ghost" size="sm" loading={revoke.isPending} onClick={() => revoke.mutate()} data-testid={`revoke-${invitation.email}`}>
      Revoke
    </Button>
  );
}

/** Invitations nobody has accepted yet, each revocable. */
export function InvitationsTable({ invitations }: { invitations: Invitation[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Invited</TableHead>
          <TableHead className="w-24">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {invitations.map((invitation) => (
          <TableRow key={invitation.id} data-testid={`invitation-row-${invitation.email}`}>
            <TableCell className="font-medium">{invitation.email}</TableCell>
            <TableCell>
              <RoleBadge role={invitation.role} />
            </TableCell>
            <TableCell className="text-muted-foreground">{formatRelative(invitation.createdAt)}</TableCell>
            <TableCell className="text-right">
              <RevokeButton invitation={invitation} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
