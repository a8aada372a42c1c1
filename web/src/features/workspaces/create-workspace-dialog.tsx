import { CreateWorkspaceBody } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
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
import { useToast } from '../../components/ui/toast';
import { api, errorMessage, fieldErrors, issuesToFieldErrors } from '../../lib/api';
import { queryKeys } from '../../lib/queries';

/** The "Create workspace" button and dialog; opens the new workspace when it is created. */
export function CreateWorkspaceDialog({ size = 'default' }: { size?: 'default' | 'lg' }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();

  const create = useMutation({
    mutationFn: api.createWorkspace,
    onSuccess: async (workspace) => {
      queryClient.setQueryData(queryKeys.workspace(workspace.id), workspace);
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
      onOpenChange(false);
      toast.show({ title: `Created ${workspace.name}` });
      await navigate(`/w/${workspace.id}`);
    },
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setName('');
      setLocalErrors({});
      create.reset();
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = CreateWorkspaceBody.safeParse({ name });
    if (!parsed.success) return setLocalErrors(issuesToFieldErrors(parsed.error.issues));
    setLocalErrors({});
    create.mutate(parsed.data);
  };

  const serverErrors = fieldErrors(create.error);
  const nameError = localErrors.name ?? serverErrors.name;
  const otherError = create.isError && !serverErrors.name ? create.error : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="create-workspace-open" size={size}>
          <Plus aria-hidden />
          Create workspace
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Create a workspace</DialogTitle>
          <DialogDescription>
            A workspace holds your team&apos;s apps, data, members and audit log. You will be its owner.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          {otherError ? <Alert title="Could not create the workspace">{errorMessage(otherError)}</Alert> : null}
          <FormField label="Name" error={nameError}>
            <Input
              data-testid="create-workspace-name"
              autoFocus
              placeholder="Acme Operations"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </FormField>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" data-testid="create-workspace-submit" loading={create.isPending}>
              Create workspace
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
