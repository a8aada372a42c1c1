import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/api';
import { Alert } from './ui/alert';
import { Button } from './ui/button';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from './ui/dialog';

type ConfirmDialogProps = {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: ReactNode;
  /** Shown above the error when the action fails; the dialog stays open. */
  errorTitle: string;
  destructive?: boolean;
  confirmTestId?: string;
  /** Runs on confirm; the dialog closes when it resolves. */
  action: () => Promise<unknown>;
};

/** An alert dialog that confirms one action, shows its progress and its error, and closes on success. */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  errorTitle,
  destructive = false,
  confirmTestId,
  action,
}: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const mutation = useMutation({ mutationFn: action, onSuccess: () => setOpen(false) });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) mutation.reset();
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent role="alertdialog">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {mutation.isError ? <Alert title={errorTitle}>{errorMessage(mutation.error)}</Alert> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant={destructive ? 'destructive' : 'default'}
            loading={mutation.isPending}
            onClick={() => mutation.mutate()}
            data-testid={confirmTestId}
          >
            {confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
