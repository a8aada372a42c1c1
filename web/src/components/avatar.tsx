import { initials } from '../lib/format';
import { cn } from '../lib/utils';

const tones = [
  'bg-indigo-100 text-indigo-700',
  'bg-emerald-100 text-emerald-700',
  'bg-amber-100 text-amber-800',
  'bg-rose-100 text-rose-700',
  'bg-sky-100 text-sky-700',
  'bg-violet-100 text-violet-700',
];

function toneFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return tones[hash % tones.length] ?? tones[0] ?? '';
}

/** Initials in a coloured circle (or rounded square for workspaces), stable per name. */
export function Avatar({ name, seed, square = false, className }: { name: string; seed?: string; square?: boolean; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        'inline-flex size-7 shrink-0 items-center justify-center text-[11px] font-semibold',
        square ? 'rounded-md' : 'rounded-full',
        toneFor(seed ?? name),
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}
