import { useQuery } from '@tanstack/react-query';
import { WifiOff } from 'lucide-react';
import { builderInfoQuery } from '../../lib/queries';
import { cn } from '../../lib/utils';

/** Says, kindly, that no model key is set and the offline generator builds the apps. */
export function OfflineBanner({ className }: { className?: string }) {
  const info = useQuery(builderInfoQuery());
  if (!info.data?.offline) return null;
  return (
    <div
      role="note"
      data-testid="offline-banner"
      className={cn('flex items-start gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm', className)}
    >
      <WifiOff className="mt-0.5 size-4 shrink-0 text-[oklch(0.5_0.13_60)]" aria-hidden />
      <div className="min-w-0">
        <p className="font-medium">No model key set — using the offline generator</p>
        {info.data.note ? <p className="mt-0.5 text-[13px] text-foreground/75">{info.data.note}</p> : null}
      </div>
    </div>
  );
}
