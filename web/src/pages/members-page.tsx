import { useQuery } from '@tanstack/react-query';
import { Mail, Users } from 'lucide-react';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { TableSkeleton } from '../components/table-skeleton';
import { Card, CardDescription, CardHeader, CardTitle } from '../components/ui/card';
import { EmptyState } from '../components/ui/empty-state';
import { useMe } from '../features/auth/me-context';
import { InvitationsTable } from '../features/members/invitations-table';
import { InviteDialog } from '../features/members/invite-dialog';
import { MembersTable } from '../features/members/members-table';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { invitationsQuery, membersQuery } from '../lib/queries';
import { isAdmin } from '../lib/roles';

function PendingInvitations({ workspaceId }: { workspaceId: string }) {
  const invitations = useQuery({
    ...invitationsQuery(workspaceId),
    select: (page) => page.items.filter((invitation) => invitation.status === 'pending'),
  });
  return (
    <Card>
      <CardHeader className="pb-3">
        <CardTitle>Pending invitations</CardTitle>
        <CardDescription>People who were invited but have not signed in yet.</CardDescription>
      </CardHeader>
      <div className="border-t">
        {invitations.isPending ? (
          <TableSkeleton rows={2} columns={3} />
        ) : invitations.isError ? (
          <QueryError
            className="m-4"
            error={invitations.error}
            what="invitations"
            onRetry={() => invitations.refetch()}
            retrying={invitations.isFetching}
          />
        ) : invitations.data.length === 0 ? (
          <EmptyState
            icon={Mail}
            className="m-4 border-0 py-8"
            title="No pending invitations"
            description="Invite teammates by email; they appear here until they join."
          />
        ) : (
          <InvitationsTable invitations={invitations.data} />
        )}
      </div>
    </Card>
  );
}

/** `/w/:workspaceId/members`: who is in the workspace, with what role, and who is invited. */
export function MembersPage() {
  const workspace = useWorkspace();
  const { identity } = useMe();
  const members = useQuery(membersQuery(workspace.id));
  const admin = isAdmin(workspace.role);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Members"
        description={admin ? 'Manage who can build, publish and use apps in this workspace.' : 'People in this workspace.'}
        actions={admin ? <InviteDialog workspaceId={workspace.id} actorRole={workspace.role} /> : null}
      />
      <Card>
        {members.isPending ? (
          <TableSkeleton rows={4} columns={4} />
        ) : members.isError ? (
          <QueryError
            className="m-4"
            error={members.error}
            what="members"
            onRetry={() => members.refetch()}
            retrying={members.isFetching}
          />
        ) : members.data.items.length === 0 ? (
          <EmptyState icon={Users} className="m-4 border-0" title="No members" description="Invite people to start working together." />
        ) : (
          <MembersTable members={members.data.items} workspace={workspace} currentUser={identity} />
        )}
      </Card>
      {admin ? <PendingInvitations workspaceId={workspace.id} /> : null}
    </div>
  );
}
