import { Globe } from 'lucide-react';

/** What a held call will send (with secrets still as placeholders), and where. */
export function CallPreview({ tool, host, preview }: { tool: string; host: string | null; preview: Record<string, unknown> }) {
  return (
    <div className="flex flex-col gap-1.5" data-testid="call-preview">
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[13px]">
        <span>
          Tool <span className="font-mono text-xs font-medium">{tool}</span>
        </span>
        <span className="flex items-center gap-1 text-muted-foreground">
          <Globe className="size-3.5" aria-hidden />
          {host ? (
            <>
              sends to <span className="font-mono text-xs text-foreground">{host}</span>
            </>
          ) : (
            'writes app data (no outside host)'
          )}
        </span>
      </p>
      <pre className="max-h-64 overflow-auto rounded-md bg-muted/60 px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap">
        {JSON.stringify(preview, null, 2)}
      </pre>
      <p className="text-xs text-muted-foreground">
        Secret values are never shown: they appear as their {'{{secrets.NAME}}'} placeholders.
      </p>
    </div>
  );
}
