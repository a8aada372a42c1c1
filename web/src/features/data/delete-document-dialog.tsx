import { Trash2 } from 'lucide-react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Button } from '../../components/ui/button';
import { useToast } from '../../components/ui/toast';
import { api } from '../../lib/api';
import type { CollectionTarget } from './document-dialog';

type DeleteDocumentDialogProps = { target: CollectionTarget; documentId: string; onDeleted: () => void };

/** Deletes one document after a confirmation; the app sees the delete live. */
export function DeleteDocumentDialog({ target, documentId, onDeleted }: DeleteDocumentDialogProps) {
  const toast = useToast();
  const { workspaceId, appId, scope, collection } = target;
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm" className="text-destructive hover:text-destructive" data-testid="data-delete">
          <Trash2 aria-hidden />
          Delete
        </Button>
      }
      title="Delete this document?"
      description={
        <>
          <span className="font-mono">{documentId}</span> is removed from <span className="font-mono">{collection}</span> ({scope}) for
          everyone using the app. This cannot be undone.
        </>
      }
      confirmLabel="Delete document"
      errorTitle="Could not delete the document"
      destructive
      confirmTestId="data-delete-confirm"
      action={async () => {
        await api.removeDocument(workspaceId, appId, scope, collection, documentId);
        toast.show({ title: 'Document deleted' });
        onDeleted();
      }}
    />
  );
}
