import { CircleAlertIcon, CircleCheckIcon, XIcon } from 'lucide-react';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { cn } from '@/lib/utils';

export type ToastVariant = 'default' | 'success' | 'destructive';

export type ToastOptions = {
  title: ReactNode;
  description?: ReactNode;
  variant?: ToastVariant;
  /** How long the toast stays, in milliseconds; `Infinity` keeps it until dismissed. Default 4000. */
  durationMs?: number;
};

export type ToastApi = {
  /** Shows a toast and returns its id. A string is shorthand for `{ title }`. */
  toast: (options: ToastOptions | string) => number;
  dismiss: (id: number) => void;
};

type ToastEntry = ToastOptions & { id: number };

/** More than this and the oldest toast makes room. */
const maximumVisibleToasts = 3;

const ToastContext = createContext<ToastApi | null>(null);

/** Wrap the app in `<Toaster>` once (main.tsx does); it renders toasts in the bottom-right corner. */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((current) => current.filter((entry) => entry.id !== id));
  }, []);

  const toast = useCallback(
    (options: ToastOptions | string) => {
      const entry: ToastEntry = { ...(typeof options === 'string' ? { title: options } : options), id: nextId.current++ };
      setToasts((current) => [...current, entry].slice(-maximumVisibleToasts));
      const durationMs = entry.durationMs ?? 4000;
      if (Number.isFinite(durationMs))
        timers.current.set(
          entry.id,
          setTimeout(() => dismiss(entry.id), durationMs),
        );
      return entry.id;
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  const api = useMemo(() => ({ toast, dismiss }), [toast, dismiss]);

  return (
    <ToastContext value={api}>
      {children}
      <section
        aria-label="Notifications"
        className="pointer-events-none fixed right-0 bottom-0 z-[100] flex w-full flex-col gap-2 p-4 sm:max-w-sm"
      >
        {toasts.map((entry) => (
          <ToastCard key={entry.id} entry={entry} onDismiss={() => dismiss(entry.id)} />
        ))}
      </section>
    </ToastContext>
  );
}

function ToastCard({ entry, onDismiss }: { entry: ToastEntry; onDismiss: () => void }) {
  const variant = entry.variant ?? 'default';
  const Icon = variant === 'success' ? CircleCheckIcon : variant === 'destructive' ? CircleAlertIcon : null;
  return (
    <div
      role={variant === 'destructive' ? 'alert' : 'status'}
      className={cn(
        'pointer-events-auto flex w-full animate-toast-in items-start gap-3 rounded-lg border bg-popover p-4 text-popover-foreground shadow-lg',
        variant === 'destructive' && 'border-destructive/30',
      )}
    >
      {Icon && (
        <Icon aria-hidden="true" className={cn('mt-0.5 size-4 shrink-0', variant === 'success' ? 'text-success' : 'text-destructive')} />
      )}
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <p className="text-sm font-medium">{entry.title}</p>
        {entry.description && <p className="text-sm text-muted-foreground">{entry.description}</p>}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        className="-m-1 rounded-sm p-1 text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <XIcon className="size-4" aria-hidden="true" />
        <span className="sr-only">Dismiss</span>
      </button>
    </div>
  );
}

/** Shows toasts from any component inside `<Toaster>`: `const { toast } = useToast(); toast({ title: 'Saved' })`. */
export function useToast(): ToastApi {
  const api = use(ToastContext);
  if (!api) throw new Error('useToast() must be called inside <Toaster>.');
  return api;
}
