import { useQuery } from '@tanstack/react-query';
import { WifiOff } from 'lucide-react';
import { builderInfoQuery } from '../../lib/queries';
import { cn } from '../../lib/utils';

type OfflineBannerProps = { className?: string; /** One line, the note on hover: for the builder's header. */ compact?: boolean };

/** Says, kindly, that no model key is set and the offline generator builds the apps. */
export function OfflineBanner({ className, compact = false }: OfflineBannerProps) {
  const info = useQuery(builderInfoQuery());
  if (!info.data?.offline) return null;
  return (
    <div
      role="note"
      data-testid="offline-banner"
      className={cn(
        'flex gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 text-sm',
        compact ? 'items-center py-2' : 'items-start py-3',
        className,
      )}
    >
      <WifiOff className="size-4 shrink-0 text-[oklch(0.5_0.13_60)]" aria-hidden />
      {compact ? (
        <p className="min-w-0 truncate text-[13px]" title={info.data.note}>
          <span className="font-medium">No model key set — using the offline generator.</span>{' '}
          <span className="text-foreground/75">{info.data.note}</span>
        </p>
      ) : (
        <div className="min-w-0">
          <p className="font-medium">No model key set — using the offline generator</p>
          {info.data.note ? <p className="mt-0.5 text-[13px] text-foreground/75">{info.data.note}</p> : null}
        </div>
      )}
    </div>
  );
}
