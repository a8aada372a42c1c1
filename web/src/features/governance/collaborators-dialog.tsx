import type { App } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { Skeleton } from '../../components/ui/skeleton';
import { errorMessage } from '../../lib/api';
import { membersQuery } from '../../lib/queries';
import { collaboratorsQuery, governanceApi, refreshGovernance, teamsQuery } from './governance-api';

/** Who builds the app (collaborators) and which teams see it once published. Read-only unless `canEdit`. */
export function CollaboratorsDialog({ app, canEdit }: { app: App; canEdit: boolean }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const collaborators = useQuery({ ...collaboratorsQuery(app.workspaceId, app.id), enabled: open });
  const members = useQuery({ ...membersQuery(app.workspaceId), enabled: open && canEdit });
  const teams = useQuery({ ...teamsQuery(app.workspaceId), enabled: open });
  const [chosen, setChosen] = useState<string[]>(app.collaboratorIds);
  const [teamIds, setTeamIds] = useState<string[]>(app.teamIds);
  useEffect(() => {
    if (open) {
      setChosen(app.collaboratorIds);
      setTeamIds(app.teamIds);
    }
  }, [open, app.collaboratorIds, app.teamIds]);
  const save = useMutation({
    mutationFn: async () => {
      await governanceApi.setCollaborators(app.workspaceId, app.id, chosen);
      await governanceApi.setVisibility(app.workspaceId, app.id, teamIds);
    },
    onSuccess: async () => {
      setOpen(false);
      await refreshGovernance(queryClient, app.workspaceId);
    },
  });
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((item) => item !== id) : [...list, id]);
  const candidates = (members.data?.items ?? []).filter((member) => member.userId !== app.createdBy && member.role !== 'viewer');

  return (
    <Dialog open={open} onOpenChange={(next) => (setOpen(next), save.reset())}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" data-testid="collaborators-open">
          <Users aria-hidden />
          {app.collaboratorIds.length + 1}
          <span className="sr-only">builders</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Who builds and who sees {app.name}</DialogTitle>
          <DialogDescription>Collaborators change the app and use its draft data. Teams limit who sees the published app.</DialogDescription>
        </DialogHeader>
        {collaborators.isPending ? (
          <Skeleton className="h-24" />
        ) : canEdit ? (
          <fieldset className="flex flex-col gap-1.5" data-testid="collaborator-choices">
            <legend className="mb-1 text-sm font-semibold">Collaborators</legend>
            <p className="text-sm text-muted-foreground">{collaborators.data?.find((person) => person.creator)?.name ?? 'The creator'} (creator) always builds it.</p>
            {candidates.length === 0 ? <p className="text-sm text-muted-foreground">No other members can build apps.</p> : null}
            {candidates.map((member) => (
              <label key={member.userId} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={chosen.includes(member.userId)} onChange={() => setChosen((list) => toggle(list, member.userId))} data-testid={`collaborator-${member.email}`} />
                {member.name} <span className="text-muted-foreground">{member.email}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <ul className="flex flex-col gap-1 text-sm" data-testid="collaborator-list">
            {collaborators.data?.map((person) => (
              <li key={person.userId}>
                {person.name} {person.creator ? <span className="text-muted-foreground">(creator)</span> : null}
              </li>
            ))}
          </ul>
        )}
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1 text-sm font-semibold">Visible to</legend>
          {(teams.data ?? []).length === 0 ? <p className="text-sm text-muted-foreground">The whole workspace (no teams yet).</p> : null}
          {(teams.data ?? []).map((team) => (
            <label key={team.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" disabled={!canEdit} checked={teamIds.includes(team.id)} onChange={() => setTeamIds((list) => toggle(list, team.id))} />
              {team.name}
            </label>
          ))}
          {(teams.data ?? []).length > 0 && teamIds.length === 0 ? <p className="text-xs text-muted-foreground">No team chosen: the whole workspace sees it.</p> : null}
        </fieldset>
        {save.isError ? <Alert title="Could not save">{errorMessage(save.error)}</Alert> : null}
        {canEdit ? (
          <DialogFooter>
            <Button loading={save.isPending} onClick={() => save.mutate()} data-testid="collaborators-save">
              Save
            </Button>
          </DialogFooter>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
