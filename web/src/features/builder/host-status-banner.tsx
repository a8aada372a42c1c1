import { useQuery } from '@tanstack/react-query';
import { ServerOff } from 'lucide-react';
import { api } from '../../lib/api';
import { cn } from '../../lib/utils';

/** How often the page asks whether the Hangar host is still there. */
const checkEveryMs = 5_000;
/** A check that has not been answered in this long counts as "not answering", so one hung request cannot hide an outage. */
const answerWithinMs = 4_000;

/**
 * Says so when the Hangar host stops answering (it was stopped, crashed or the network is down):
 * without it the page keeps showing its last state as if nothing were wrong. Checks `/api/health`
 * every few seconds while the page is open (a check unanswered after a few seconds counts as down) and
 * hides again as soon as the host answers.
 */
export function HostStatusBanner({ className }: { className?: string }) {
  const health = useQuery({
    queryKey: ['host-health'],
    queryFn: ({ signal }) => api.health(AbortSignal.any([signal, AbortSignal.timeout(answerWithinMs)])),
    refetchInterval: checkEveryMs,
    refetchIntervalInBackground: false,
    retry: false,
    staleTime: 0,
  });
  if (!health.isError) return null;
  return (
    <div
      role="alert"
      data-testid="host-down"
      className={cn('flex items-center gap-3 rounded-lg border border-destructive/40 bg-destructive/10 px-4 py-2 text-sm', className)}
    >
      <ServerOff className="size-4 shrink-0 text-destructive" aria-hidden />
      <p className="min-w-0 text-[13px]">
        <span className="font-medium">The Hangar host is not answering.</span>{' '}
        <span className="text-foreground/75">
          Builds, previews and data changes wait until it is back; this page checks again every few seconds. If you stopped it, run{' '}
          <code className="font-mono text-xs">npm start</code> again.
        </span>
      </p>
    </div>
  );
}
