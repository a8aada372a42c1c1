import type { Membership, Role } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../../components/ui/select';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { assignableRoles, roleLabels } from '../../lib/roles';

type RoleSelectProps = { member: Membership; actorRole: Role };

/** Changes a member's role in place; only roles the actor may grant are offered. */
export function RoleSelect({ member, actorRole }: RoleSelectProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const changeRole = useMutation({
    mutationFn: (role: Role) => api.changeRole(member.workspaceId, member.userId, { role }),
    onSuccess: async (updated) => {
      toast.show({ title: `${updated.name} is now ${roleLabels[updated.role].toLowerCase()}` });
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspace(member.workspaceId) });
    },
    onError: (error) => toast.show({ tone: 'error', title: `Could not change ${member.name}'s role`, description: errorMessage(error) }),
  });

  const options = assignableRoles(actorRole);
  const value = changeRole.isPending ? changeRole.variables : member.role;

  return (
    <Select value={value} onValueChange={(role) => changeRole.mutate(role as Role)} disabled={changeRole.isPending}>
      <SelectTrigger className="h-8 w-32" aria-label={`Role of ${member.name}`} data-testid={`role-select-${member.email}`}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((role) => (
          <SelectItem key={role} value={role}>
            {roleLabels[role]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
