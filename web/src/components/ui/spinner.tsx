import { LoaderCircle } from 'lucide-react';
import { cn } from '../../lib/utils';

type SpinnerProps = {
  className?: string;
  /** Text read by screen readers; `null` when the spinner sits inside a labelled control. */
  label?: string | null;
};

/** An indeterminate progress indicator. */
export function Spinner({ className, label = 'Loading' }: SpinnerProps) {
  return (
    <span role={label === null ? undefined : 'status'} className="inline-flex items-center">
      <LoaderCircle aria-hidden className={cn('size-4 animate-spin text-current', className)} />
      {label === null ? null : <span className="sr-only">{label}</span>}
    </span>
  );
}
