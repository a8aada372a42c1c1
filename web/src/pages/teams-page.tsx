import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UsersRound, X } from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { Alert } from '../components/ui/alert';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { EmptyState } from '../components/ui/empty-state';
import { Input } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { governanceApi, refreshGovernance, teamsQuery } from '../features/governance/governance-api';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { errorMessage } from '../lib/api';
import { membersQuery } from '../lib/queries';
import { isAdmin } from '../lib/roles';

/** `/w/:workspaceId/teams`: teams give published apps their audience. Everyone reads; admins change. */
export function TeamsPage() {
  const workspace = useWorkspace();
  const admin = isAdmin(workspace.role);
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery(workspace.id));
  const members = useQuery(membersQuery(workspace.id));
  const [name, setName] = useState('');
  const refresh = () => refreshGovernance(queryClient, workspace.id);
  const create = useMutation({
    mutationFn: () => governanceApi.createTeam(workspace.id, { name: name.trim() }),
    onSuccess: async () => {
      setName('');
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: (input: { teamId: string; userId: string; add: boolean }) =>
      input.add ? governanceApi.addTeamMember(workspace.id, input.teamId, input.userId) : governanceApi.removeTeamMember(workspace.id, input.teamId, input.userId),
    onSuccess: refresh,
  });
  const nameOf = (userId: string) => members.data?.items.find((member) => member.userId === userId)?.name ?? 'Former member';

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Teams" description="Give a published app to one or more teams; an app without teams is visible to the whole workspace." />
      {admin ? (
        <form
          className="flex max-w-md gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Input aria-label="Team name" placeholder="New team name" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} data-testid="team-name" />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()} data-testid="team-create">
            Create team
          </Button>
        </form>
      ) : null}
      {create.isError ? <Alert title="Could not create the team">{errorMessage(create.error)}</Alert> : null}
      {change.isError ? <Alert title="Could not change the team">{errorMessage(change.error)}</Alert> : null}
      {teams.isPending ? (
        <Skeleton className="h-32" />
      ) : teams.isError ? (
        <QueryError error={teams.error} what="teams" onRetry={() => teams.refetch()} retrying={teams.isFetching} />
      ) : teams.data.length === 0 ? (
        <EmptyState icon={UsersRound} title="No teams yet" description={admin ? 'Create one above.' : 'Admins create teams.'} />
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {teams.data.map((team) => (
            <Card key={team.id} data-testid="team-card">
              <CardHeader className="flex flex-row items-center justify-between">
                <CardTitle className="text-base">{team.name}</CardTitle>
                {admin ? (
                  <ConfirmDialog
                    destructive
                    trigger={<Button variant="ghost" size="sm">Delete</Button>}
                    title={`Delete ${team.name}?`}
                    description="Apps given only to this team stay limited to their builders until you choose other teams."
                    confirmLabel="Delete team"
                    errorTitle="Could not delete the team"
                    action={async () => {
                      await governanceApi.deleteTeam(workspace.id, team.id);
                      await refresh();
                    }}
                  />
                ) : null}
              </CardHeader>
              <CardContent className="flex flex-col gap-2">
                <ul className="flex flex-wrap gap-1.5">
                  {team.memberIds.length === 0 ? <li className="text-sm text-muted-foreground">No members.</li> : null}
                  {team.memberIds.map((userId) => (
                    <li key={userId} className="flex items-center gap-1 rounded-full bg-muted px-2 py-0.5 text-sm">
                      {nameOf(userId)}
                      {admin ? (
                        <button type="button" aria-label={`Remove ${nameOf(userId)}`} onClick={() => change.mutate({ teamId: team.id, userId, add: false })}>
                          <X className="size-3" aria-hidden />
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {admin ? (
                  <select
                    aria-label={`Add a member to ${team.name}`}
                    className="h-8 w-fit rounded-md border bg-card px-2 text-sm"
                    value=""
                    onChange={(event) => event.target.value && change.mutate({ teamId: team.id, userId: event.target.value, add: true })}
                  >
                    <option value="">Add a member…</option>
                    {(members.data?.items ?? [])
                      .filter((member) => !team.memberIds.includes(member.userId))
                      .map((member) => (
                        <option key={member.userId} value={member.userId}>
                          {member.name}
                        </option>
                      ))}
                  </select>
                ) : null}
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
