import { CreateInvitationBody, type Role } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MailPlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { FormField } from '../../components/form-field';
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
import { Input } from '../../components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../../components/ui/select';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage, fieldErrors, issuesToFieldErrors } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { assignableRoles, roleDescriptions, roleLabels } from '../../lib/roles';

/** Invites someone by email; they join with the chosen role the first time they sign in. */
export function InviteDialog({ workspaceId, actorRole }: { workspaceId: string; actorRole: Role }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  const toast = useToast();

  const invite = useMutation({
    mutationFn: (body: CreateInvitationBody) => api.createInvitation(workspaceId, body),
    onSuccess: async (invitation) => {
      onOpenChange(false);
      toast.show({
        title: `Invited ${invitation.email}`,
        description: `They join as ${roleLabels[invitation.role].toLowerCase()} when they sign in.`,
      });
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations(workspaceId) });
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setEmail('');
      setRole('member');
      setLocalErrors({});
      invite.reset();
    }
  }

  /** An answer about the previous email or role is no longer true once either changes. */
  function clearStaleErrors() {
    if (invite.isError) invite.reset();
    setLocalErrors({});
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = CreateInvitationBody.safeParse({ email, role });
    if (!parsed.success) {
      setLocalErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setLocalErrors({});
    invite.mutate(parsed.data);
  };

  const serverErrors = fieldErrors(invite.error);
  const errors = { ...serverErrors, ...localErrors };
  const otherError = invite.isError && Object.keys(serverErrors).length === 0 ? invite.error : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="invite-open">
          <MailPlus aria-hidden />
          Invite
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a person</DialogTitle>
          <DialogDescription>They join this workspace the first time they sign in with this email.</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          {otherError ? <Alert title="Could not send the invitation">{errorMessage(otherError)}</Alert> : null}
          <FormField label="Email" error={errors.email}>
            <Input
              data-testid="invite-email"
              type="email"
              autoFocus
              placeholder="grace@example.com"
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
                clearStaleErrors();
              }}
            />
          </FormField>
          <FormField label="Role" error={errors.role} hint={roleDescriptions[role]}>
            {(control) => (
              <Select
                value={role}
                onValueChange={(next) => {
                  setRole(next as Role);
                  clearStaleErrors();
                }}
              >
                <SelectTrigger data-testid="invite-role" {...control}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {assignableRoles(actorRole).map((option) => (
                    <SelectItem key={option} value={option} data-testid={`invite-role-${option}`}>
                      {roleLabels[option]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" data-testid="invite-submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
