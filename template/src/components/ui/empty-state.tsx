import type { LucideIcon } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/lib/utils';

export type EmptyStateProps = Omit<ComponentProps<'div'>, 'title'> & {
  /** A lucide-react icon component, e.g. `icon={InboxIcon}`. */
  icon?: LucideIcon;
  title: ReactNode;
  description?: ReactNode;
  /** Usually a `<Button>` that creates the first item. */
  action?: ReactNode;
};

/** What a list shows when it has nothing in it: an icon, a title, a hint and the next step. */
export function EmptyState({ icon: Icon, title, description, action, className, ...props }: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn('flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-10 text-center', className)}
      {...props}
    >
      {Icon && (
        <div className="flex size-10 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Icon className="size-5" aria-hidden="true" />
        </div>
      )}
      <div className="flex max-w-sm flex-col gap-1">
        <p className="text-sm font-medium">{title}</p>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {action && <div className="mt-1">{action}</div>}
    </div>
  );
}
