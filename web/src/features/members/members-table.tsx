import type { Membership, WorkspaceSummary } from '@hangar/protocol';
import { Avatar } from '../../components/avatar';
import { Badge } from '../../components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDate } from '../../lib/format';
import { canManageMember } from '../../lib/roles';
import { RoleBadge } from '../workspaces/role-badge';
import { RemoveMemberDialog } from './remove-member-dialog';
import { RoleSelect } from './role-select';

type MembersTableProps = { members: Membership[]; workspace: WorkspaceSummary; currentUser: { id: string; email: string } };

/** Everyone in the workspace; admins can change roles and remove people (never themselves). */
export function MembersTable({ members, workspace, currentUser }: MembersTableProps) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Joined</TableHead>
          <TableHead className="w-12">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.map((member) => {
          const isSelf = member.userId === currentUser.id || member.email === currentUser.email;
          const manageable = canManageMember(workspace.role, member.role, isSelf);
          return (
            <TableRow key={member.userId} data-testid={`member-row-${member.email}`}>
              <TableCell>
                <div className="flex items-center gap-2.5">
                  <Avatar name={member.name} seed={member.email} />
                  <span className="font-medium">{member.name}</span>
                  {isSelf ? <Badge variant="neutral">You</Badge> : null}
                </div>
              </TableCell>
              <TableCell className="text-muted-foreground">{member.email}</TableCell>
              <TableCell>
                {manageable ? <RoleSelect member={member} actorRole={workspace.role} /> : <RoleBadge role={member.role} />}
              </TableCell>
              <TableCell className="whitespace-nowrap text-muted-foreground">{formatDate(member.joinedAt)}</TableCell>
              <TableCell className="text-right">
                {manageable ? <RemoveMemberDialog member={member} workspaceName={workspace.name} /> : null}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
