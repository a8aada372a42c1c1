import { useId, type ReactElement, type ReactNode } from 'react';
import { Slot } from '@radix-ui/react-slot';
import { describeFieldError } from '../lib/api';
import { Label } from './ui/label';

type FormFieldProps = {
  label: string;
  /** The raw validation message for this field, if any. */
  error?: string | undefined;
  hint?: ReactNode;
  /** The control; it receives `id`, `aria-invalid` and `aria-describedby` (directly, or as render props). */
  children: ReactElement | ((control: ControlProps) => ReactElement);
};

type ControlProps = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

/** A label, a control and its hint or validation message, wired together for screen readers. */
export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  const hasMessage = Boolean(error) || Boolean(hint);
  const control: ControlProps = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': hasMessage ? messageId : undefined,
  };
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {typeof children === 'function' ? children(control) : <Slot {...control}>{children}</Slot>}
      {error ? (
        <p id={messageId} className="text-[13px] text-destructive">
          {describeFieldError(label, error)}
        </p>
      ) : hint ? (
        <p id={messageId} className="text-[13px] text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
