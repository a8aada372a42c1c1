import { useQueryClient } from '@tanstack/react-query';
import { History } from 'lucide-react';
import type { AppVersion } from '@hangar/protocol';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { Button } from '../../../components/ui/button';
import { useToast } from '../../../components/ui/toast';
import { api } from '../../../lib/api';
import { queryKeys } from '../../../lib/queries';

type RestoreVersionDialogProps = { workspaceId: string; appId: string; version: AppVersion; onRestored: (version: AppVersion) => void };

/** Restores an older version as a new latest version, after a confirmation. Nothing is deleted. */
export function RestoreVersionDialog({ workspaceId, appId, version, onRestored }: RestoreVersionDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" className="h-7" data-testid="restore-version">
          <History aria-hidden />
          Restore
        </Button>
      }
      title={`Restore version ${version.number}?`}
      description="Its files become a new latest version, the preview switches to it and the app takes back the name it had then. Every other version stays in the history."
      confirmLabel={`Restore version ${version.number}`}
      errorTitle="Could not restore this version"
      confirmTestId="restore-version-confirm"
      action={async () => {
        const restored = await api.restoreVersion(workspaceId, appId, version.id);
        toast.show({ title: `Restored version ${version.number}`, description: `It is now version ${restored.number}.` });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceId, appId) }),
          queryClient.invalidateQueries({ queryKey: queryKeys.app(workspaceId, appId), exact: true }),
          queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId), exact: true }),
        ]);
        onRestored(restored);
      }}
    />
  );
}
