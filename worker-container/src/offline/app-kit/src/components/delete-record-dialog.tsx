import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';

export type DeleteRecordDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** What is deleted, e.g. `lead`. */
  noun: string;
  /** The record's title, shown in the question. */
  name: string;
  onConfirm: () => Promise<void>;
};

/** Asks before deleting one record. */
export function DeleteRecordDialog({ open, onOpenChange, noun, name, onConfirm }: DeleteRecordDialogProps) {
  const [deleting, setDeleting] = useState(false);
  function confirm() {
    setDeleting(true);
    // The caller reports failures (a toast); either way the dialog stops showing progress.
    const done = () => setDeleting(false);
    onConfirm().then(done, done);
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">
        <DialogHeader>
          <DialogTitle>Delete this {noun}?</DialogTitle>
          <DialogDescription>
            {name ? <>“{name}” will be removed for everyone.</> : <>It will be removed for everyone.</>} This can’t be undone.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" disabled={deleting} onClick={confirm}>
            {deleting ? 'Deleting…' : 'Delete'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
