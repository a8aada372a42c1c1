import { cn } from '../../lib/utils';

type DiffViewProps = { diff: string; className?: string };

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'text-muted-foreground';
  if (line.startsWith('@@')) return 'bg-accent/60 text-accent-foreground';
  if (line.startsWith('+')) return 'bg-success/10 text-[oklch(0.4_0.12_155)]';
  if (line.startsWith('-')) return 'bg-destructive/8 text-[oklch(0.45_0.17_25)]';
  return 'text-foreground/80';
}

/** A unified diff with added lines in green and removed lines in red. */
export function DiffView({ diff, className }: DiffViewProps) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className={cn('overflow-x-auto rounded-md border bg-card py-1.5 font-mono text-xs leading-5', className)}>
      <code className="block min-w-fit">
        {lines.map((line, index) => (
          <span key={index} className={cn('block px-3 whitespace-pre', lineClass(line))}>
            {line || ' '}
          </span>
        ))}
      </code>
    </pre>
  );
}
