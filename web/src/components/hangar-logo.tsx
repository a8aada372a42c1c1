import { cn } from '../lib/utils';

/** The Hangar mark, optionally with the word. */
export function HangarLogo({ className, withWord = true }: { className?: string; withWord?: boolean }) {
  return (
    <span className={cn('inline-flex items-center gap-2 font-semibold tracking-tight', className)}>
      <svg viewBox="0 0 32 32" className="size-6 shrink-0" aria-hidden>
        <rect width="32" height="32" rx="8" className="fill-primary" />
        <path d="M7 23V13.5L16 8l9 5.5V23h-3.5v-7.5h-11V23z" fill="white" />
      </svg>
      {withWord ? <span>Hangar</span> : <span className="sr-only">Hangar</span>}
    </span>
  );
}
