import { ChevronRight } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '../../../lib/utils';

type CollapsibleSectionProps = {
  summary: ReactNode;
  children: ReactNode;
  defaultOpen?: boolean;
  className?: string;
  summaryClassName?: string;
};

/** A disclosure built on `<details>`: keyboard and screen-reader friendly with no script. */
export function CollapsibleSection({ summary, children, defaultOpen = false, className, summaryClassName }: CollapsibleSectionProps) {
  return (
    <details className={cn('group/section', className)} open={defaultOpen}>
      <summary
        className={cn(
          'flex cursor-pointer list-none items-center gap-1.5 rounded-md text-[13px] text-muted-foreground outline-none select-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring [&::-webkit-details-marker]:hidden',
          summaryClassName,
        )}
      >
        <ChevronRight className="size-3.5 shrink-0 transition-transform group-open/section:rotate-90" aria-hidden />
        {summary}
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}
