import type { AppVersion } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '../../../components/ui/dialog';
import { useToast } from '../../../components/ui/toast';
import { api, errorMessage } from '../../../lib/api';
import { queryKeys } from '../../../lib/queries';

type RestoreVersionDialogProps = { workspaceId: string; appId: string; version: AppVersion; onRestored: (version: AppVersion) => void };

/** Restores an older version as a new latest version, after a confirmation. Nothing is deleted. */
export function RestoreVersionDialog({ workspaceId, appId, version, onRestored }: RestoreVersionDialogProps) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const toast = useToast();
  const restore = useMutation({
    mutationFn: () => api.restoreVersion(workspaceId, appId, version.id),
    onSuccess: async (restored) => {
      setOpen(false);
      toast.show({ title: `Restored version ${version.number}`, description: `It is now version ${restored.number}.` });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceId, appId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.app(workspaceId, appId), exact: true }),
        queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId), exact: true }),
      ]);
      onRestored(restored);
    },
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) restore.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" className="h-7" data-testid="restore-version">
          <History aria-hidden />
          Restore
        </Button>
      </DialogTrigger>
      <DialogContent role="alertdialog">
        <DialogHeader>
          <DialogTitle>Restore version {version.number}?</DialogTitle>
          <DialogDescription>
            Its files become a new latest version, and the preview switches to it. Every other version stays in the history.
          </DialogDescription>
        </DialogHeader>
        {restore.isError ? <Alert title="Could not restore this version">{errorMessage(restore.error)}</Alert> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button loading={restore.isPending} onClick={() => restore.mutate()} data-testid="restore-version-confirm">
            Restore version {version.number}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
