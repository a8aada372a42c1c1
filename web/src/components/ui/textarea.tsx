import type { ComponentProps } from 'react';
import { cn } from '../../lib/utils';

/** A multi-line text field, styled like `Input`; set `aria-invalid` to show the error style. */
export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return (
    <textarea
      className={cn(
        'flex w-full min-w-0 resize-none rounded-md border border-input bg-card px-3 py-2 text-sm shadow-xs transition-colors outline-none',
        'placeholder:text-muted-foreground/80 disabled:cursor-not-allowed disabled:opacity-60',
        'focus-visible:border-ring focus-visible:ring-3 focus-visible:ring-ring/20',
        'aria-invalid:border-destructive aria-invalid:ring-3 aria-invalid:ring-destructive/15',
        className,
      )}
      {...props}
    />
  );
}
