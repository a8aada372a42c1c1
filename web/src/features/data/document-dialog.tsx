import type { AppDocument, DataFilter, DataPage, DataScope } from '@hangar/protocol';
import { useMutation, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import { Pencil } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '../../components/ui/dialog';
import { Textarea } from '../../components/ui/textarea';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage, fieldErrors } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { applyChange, editableJson, parseEdit } from './data-format';
import { DeleteDocumentDialog } from './delete-document-dialog';

export type CollectionTarget = { workspaceId: string; appId: string; scope: DataScope; collection: string };

type DocumentDialogProps = {
  target: CollectionTarget;
  queryKey: QueryKey;
  filter: DataFilter | null;
  document: AppDocument | null;
  canWrite: boolean;
  onClose: () => void;
};

/** A side sheet with one document as pretty JSON, to edit (PATCH) or delete. */
export function DocumentDialog({ target, queryKey, filter, document, canWrite, onClose }: DocumentDialogProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const { workspaceId, appId, scope, collection } = target;

  const patchCache = (change: Parameters<typeof applyChange>[1]) =>
    queryClient.setQueryData<InfiniteData<DataPage, string | null>>(queryKey, (data) =>
      data ? { ...data, pages: applyChange(data.pages, change, filter) } : data,
    );

  const save = useMutation({
    mutationFn: (fields: Record<string, unknown>) => api.updateDocument(workspaceId, appId, scope, collection, document?._id ?? '', fields),
    onSuccess: (updated) => {
      patchCache({ operation: 'update', documentId: updated._id, document: updated, epoch: 'local', seq: 1 });
      setDraft(null);
      toast.show({ title: 'Document saved' });
    },
  });

  const close = () => {
    setDraft(null);
    setProblem(null);
    save.reset();
    onClose();
  };

  const submit = () => {
    if (draft === null) return;
    const parsed = parseEdit(draft);
    if ('error' in parsed) return setProblem(parsed.error);
    setProblem(null);
    save.mutate(parsed.fields);
  };

  const serverFields = Object.entries(fieldErrors(save.error));

  return (
    <Dialog open={document !== null} onOpenChange={(open) => (open ? undefined : close())}>
      <DialogContent
        className="top-0 right-0 left-auto flex h-dvh max-w-xl translate-x-0 translate-y-0 animate-[overlay-in_150ms_ease-out]! flex-col gap-3 rounded-none border-y-0 border-r-0"
        data-testid="data-document"
      >
        {document ? (
          <>
            <DialogHeader>
              <DialogTitle className="font-mono text-sm">{document._id}</DialogTitle>
              <DialogDescription>
                In <span className="font-mono">{collection}</span> ({scope}) · updated {formatDateTime(document._updatedAt)}
              </DialogDescription>
            </DialogHeader>
            {draft === null ? (
              <pre className="min-h-0 flex-1 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs leading-relaxed">
                {JSON.stringify(document, null, 2)}
              </pre>
            ) : (
              <div className="flex min-h-0 flex-1 flex-col gap-2">
                <label htmlFor="document-json" className="text-xs text-muted-foreground">
                  Fields as JSON. Saving merges them into the document; set a field to null to clear it.
                </label>
                <Textarea
                  id="document-json"
                  value={draft}
                  onChange={(event) => setDraft(event.target.value)}
                  spellCheck={false}
                  aria-invalid={problem || save.isError ? true : undefined}
                  className="min-h-0 flex-1 font-mono text-xs"
                  data-testid="data-json"
                />
                {problem ? (
                  <p className="text-xs text-destructive" role="alert">
                    {problem}
                  </p>
                ) : null}
                {save.isError ? (
                  <Alert title="Could not save">
                    {errorMessage(save.error)}
                    {serverFields.length > 0 ? (
                      <ul className="mt-1 list-disc pl-4 text-xs">
                        {serverFields.map(([field, message]) => (
                          <li key={field}>
                            <span className="font-mono">{field}</span>: {message}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </Alert>
                ) : null}
              </div>
            )}
            {canWrite ? (
              <div className="flex gap-2">
                {draft === null ? (
                  <>
                    <Button variant="outline" size="sm" onClick={() => setDraft(editableJson(document))} data-testid="data-edit">
                      <Pencil aria-hidden />
                      Edit
                    </Button>
                    <DeleteDocumentDialog
                      target={target}
                      documentId={document._id}
                      onDeleted={() => {
                        patchCache({ operation: 'delete', documentId: document._id, document: null, epoch: 'local', seq: 1 });
                        close();
                      }}
                    />
                  </>
                ) : (
                  <>
                    <Button size="sm" loading={save.isPending} onClick={submit} data-testid="data-save">
                      Save
                    </Button>
                    <Button variant="ghost" size="sm" onClick={() => (setDraft(null), setProblem(null), save.reset())}>
                      Cancel
                    </Button>
                  </>
                )}
              </div>
            ) : (
              <p className="text-xs text-muted-foreground">Your role can read this data but not change it.</p>
            )}
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
