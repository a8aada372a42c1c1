import { useMutation } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
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
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import type { CollectionTarget } from './document-dialog';

type DeleteDocumentDialogProps = { target: CollectionTarget; documentId: string; onDeleted: () => void };

/** Deletes one document after a confirmation; the app sees the delete live. */
export function DeleteDocumentDialog({ target, documentId, onDeleted }: DeleteDocumentDialogProps) {
  const [open, setOpen] = useState(false);
  const toast = useToast();
  const { workspaceId, appId, scope, collection } = target;
  const remove = useMutation({
    mutationFn: () => api.removeDocument(workspaceId, appId, scope, collection, documentId),
    onSuccess: () => {
      setOpen(false);
      toast.show({ title: 'Document deleted' });
      onDeleted();
    },
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) remove.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" className="text-destructive hover:text-destructive" data-testid="data-delete">
          <Trash2 aria-hidden />
          Delete
        </Button>
      </DialogTrigger>
      <DialogContent role="alertdialog">
        <DialogHeader>
          <DialogTitle>Delete this document?</DialogTitle>
          <DialogDescription>
            <span className="font-mono">{documentId}</span> is removed from <span className="font-mono">{collection}</span> ({scope}) for
            everyone using the app. This cannot be undone.
          </DialogDescription>
        </DialogHeader>
        {remove.isError ? <Alert title="Could not delete the document">{errorMessage(remove.error)}</Alert> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" loading={remove.isPending} onClick={() => remove.mutate()} data-testid="data-delete-confirm">
            Delete document
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
