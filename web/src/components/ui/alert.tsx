import { CircleAlert } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '../../lib/utils';

type AlertProps = Omit<ComponentProps<'div'>, 'title'> & {
  title: ReactNode;
  /** An action such as "Try again", shown on the right. */
  action?: ReactNode;
};

/** An inline error message, announced to screen readers. */
export function Alert({ className, title, action, children, ...props }: AlertProps) {
  return (
    <div
      role="alert"
      className={cn('flex items-start gap-3 rounded-lg border border-destructive/25 bg-destructive/5 px-4 py-3 text-sm', className)}
      {...props}
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <div className="min-w-0 flex-1">
        <p className="font-medium text-destructive">{title}</p>
        {children ? <div className="mt-0.5 text-foreground/80">{children}</div> : null}
      </div>
      {action ? <div className="shrink-0">{action}</div> : null}
    </div>
  );
}
