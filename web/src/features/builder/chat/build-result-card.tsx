import { CircleCheck, CircleX } from 'lucide-react';
import { cn } from '../../../lib/utils';
import { CollapsibleSection } from './collapsible-section';

type BuildResultCardProps = { ok: boolean; typecheckErrors: string; buildErrors: string; durationMs: number };

function ErrorBlock({ title, text }: { title: string; text: string }) {
  if (!text.trim()) return null;
  const count = text.trim().split('\n').length;
  return (
    <CollapsibleSection summary={`${title} (${count} ${count === 1 ? 'line' : 'lines'})`} defaultOpen={false}>
      <pre className="max-h-72 overflow-auto rounded-md border border-destructive/20 bg-card px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap text-destructive">
        {text}
      </pre>
    </CollapsibleSection>
  );
}

/** The result of the build gate: typecheck and build run together, their errors shown apart. */
export function BuildResultCard({ ok, typecheckErrors, buildErrors, durationMs }: BuildResultCardProps) {
  return (
    <div
      data-testid="build-result"
      data-ok={ok}
      className={cn(
        'flex flex-col gap-2 rounded-lg border px-3 py-2.5',
        ok ? 'border-success/30 bg-success/5' : 'border-destructive/30 bg-destructive/5',
      )}
    >
      <div className="flex items-center gap-2 text-sm font-medium">
        {ok ? <CircleCheck className="size-4 text-success" aria-hidden /> : <CircleX className="size-4 text-destructive" aria-hidden />}
        <span className={ok ? 'text-success' : 'text-destructive'}>{ok ? 'Build passed' : 'Build failed'}</span>
        <span className="ml-auto text-xs font-normal text-muted-foreground">{(durationMs / 1000).toFixed(1)} s</span>
      </div>
      <ErrorBlock title="Type errors" text={typecheckErrors} />
      <ErrorBlock title="Build errors" text={buildErrors} />
    </div>
  );
}
