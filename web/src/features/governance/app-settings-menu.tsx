import type { App } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Settings2 } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '../../components/ui/dialog';
import { Input } from '../../components/ui/input';
import { errorMessage } from '../../lib/api';
import { governanceApi, refreshGovernance } from './governance-api';

/** App settings: rename (builders), unpublish (admins), delete with confirmation (creator, admins). */
export function AppSettingsMenu({ app, canRename, canUnpublish, canDelete }: { app: App; canRename: boolean; canUnpublish: boolean; canDelete: boolean }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(app.name);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const refresh = () => refreshGovernance(queryClient, app.workspaceId);
  const rename = useMutation({ mutationFn: () => governanceApi.rename(app.workspaceId, app.id, name.trim()), onSuccess: refresh });
  if (!canRename && !canUnpublish && !canDelete) return null;
  return (
    <Dialog open={open} onOpenChange={(next) => (setOpen(next), setName(app.name), rename.reset())}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon-sm" aria-label="App settings" data-testid="app-settings-open">
          <Settings2 aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>App settings</DialogTitle>
          <DialogDescription>{app.publishedVersionId ? 'Published' : 'Not published'} · made {new Date(app.createdAt).toLocaleDateString()}</DialogDescription>
        </DialogHeader>
        {canRename ? (
          <form
            className="flex gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              rename.mutate();
            }}
          >
            <Input aria-label="App name" value={name} maxLength={120} onChange={(event) => setName(event.target.value)} data-testid="app-rename-input" />
            <Button type="submit" variant="outline" loading={rename.isPending} disabled={!name.trim() || name.trim() === app.name} data-testid="app-rename-save">
              Rename
            </Button>
          </form>
        ) : null}
        {rename.isError ? <Alert title="Could not rename">{errorMessage(rename.error)}</Alert> : null}
        <DialogFooter className="sm:justify-between">
          {canUnpublish && app.publishedVersionId ? (
            <ConfirmDialog
              trigger={<Button variant="outline" data-testid="app-unpublish">Unpublish</Button>}
              title={`Unpublish ${app.name}?`}
              description="People lose access to the published app at once. Its published data is kept for the next publish."
              confirmLabel="Unpublish"
              errorTitle="Could not unpublish"
              action={async () => {
                await governanceApi.unpublish(app.workspaceId, app.id);
                await refresh();
              }}
            />
          ) : (
            <span />
          )}
          {canDelete ? (
            <ConfirmDialog
              destructive
              trigger={<Button variant="destructive" data-testid="app-delete">Delete app</Button>}
              title={`Delete ${app.name}?`}
              description="This removes its versions, runs, reviews and all its draft and published data. The audit log keeps its records. This cannot be undone."
              confirmLabel="Delete for good"
              confirmTestId="app-delete-confirm"
              errorTitle="Could not delete"
              action={async () => {
                await governanceApi.remove(app.workspaceId, app.id);
                await refresh();
                void navigate(`/w/${app.workspaceId}`);
              }}
            />
          ) : null}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
