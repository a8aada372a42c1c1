import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import { cn } from '../../lib/utils';

export type JsonEditorHandle = { focusLine: (line: number) => void };

type JsonEditorProps = {
  value: string;
  onChange: (value: string) => void;
  /** Lines that hold an error: their numbers are marked in the gutter. */
  errorLines: ReadonlySet<number>;
  readOnly?: boolean;
  label: string;
  ref?: Ref<JsonEditorHandle>;
  describedBy?: string;
};

/** A plain code editor: a monospace textarea with line numbers, error lines marked, and a way to jump to a line. */
export function JsonEditor({ value, onChange, errorLines, readOnly = false, label, ref, describedBy }: JsonEditorProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const lineCount = Math.max(1, value.split('\n').length);

  useImperativeHandle(ref, () => ({
    focusLine(line: number) {
      const element = textarea.current;
      if (!element) return;
      const lines = element.value.split('\n');
      const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
      const end = start + (lines[line - 1]?.length ?? 0);
      element.focus();
      element.setSelectionRange(start, end);
      const lineHeight = parseFloat(getComputedStyle(element).lineHeight) || 20;
      element.scrollTop = Math.max(0, (line - 4) * lineHeight);
    },
  }));

  return (
    <div
      className={cn(
        'flex min-h-0 flex-1 overflow-hidden rounded-md border bg-card font-mono text-xs leading-5 shadow-xs focus-within:border-ring focus-within:ring-3 focus-within:ring-ring/20',
        errorLines.size > 0 && 'border-destructive/50',
      )}
    >
      <div
        ref={gutter}
        aria-hidden
        className="shrink-0 overflow-hidden border-r bg-muted/40 py-2 text-right text-muted-foreground select-none"
      >
        {Array.from({ length: lineCount }, (_, index) => (
          <div
            key={index}
            data-testid={errorLines.has(index + 1) ? 'agents-editor-error-line' : undefined}
            className={cn('px-2 tabular-nums', errorLines.has(index + 1) && 'bg-destructive/15 font-semibold text-destructive')}
          >
            {index + 1}
          </div>
        ))}
      </div>
      <div className="relative min-w-0 flex-1">
        {/* Error lines are tinted behind the (transparent) text, following its scroll: 8 px padding, 20 px lines. */}
        <div aria-hidden className="pointer-events-none absolute inset-0 overflow-hidden">
          {[...errorLines].map((line) => (
            <div key={line} className="absolute inset-x-0 h-5 bg-destructive/10" style={{ top: `${8 + (line - 1) * 20 - scrollTop}px` }} />
          ))}
        </div>
        <textarea
          ref={textarea}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            const top = event.currentTarget.scrollTop;
            if (gutter.current) gutter.current.scrollTop = top;
            setScrollTop(top);
          }}
          readOnly={readOnly}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          aria-label={label}
          aria-describedby={describedBy}
          aria-invalid={errorLines.size > 0 || undefined}
          data-testid="agents-editor"
          className="relative block size-full resize-none bg-transparent px-3 py-2 whitespace-pre outline-none read-only:text-muted-foreground"
        />
      </div>
    </div>
  );
}
