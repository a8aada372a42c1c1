import { Fragment, type ReactNode } from 'react';
import { cn } from '../../../lib/utils';

/** `code` and **bold** spans inside one line of text. */
function renderInline(line: string): ReactNode[] {
  return line.split(/(`[^`\n]+`|\*\*[^*\n]+\*\*)/g).map((part, index) => {
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) {
      return (
        <code key={index} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">
          {part.slice(1, -1)}
        </code>
      );
    }
    if (part.length > 4 && part.startsWith('**') && part.endsWith('**')) return <strong key={index}>{part.slice(2, -2)}</strong>;
    return <Fragment key={index}>{part}</Fragment>;
  });
}

type Block = { kind: 'paragraph' | 'code'; text: string };

/** Paragraphs split on blank lines; fenced blocks (```) kept whole, even while still streaming. */
function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  text.split(/^```[^\n]*$/m).forEach((chunk, index) => {
    if (index % 2 === 1) {
      blocks.push({ kind: 'code', text: chunk.replace(/^\n|\n$/g, '') });
      return;
    }
    for (const paragraph of chunk.split(/\n\s*\n/)) {
      if (paragraph.trim()) blocks.push({ kind: 'paragraph', text: paragraph.trim() });
    }
  });
  return blocks;
}

type AssistantTextProps = { text: string; className?: string; testId?: string };

/** The assistant's words, markdown-lite: paragraphs, line breaks, `code`, **bold** and fenced blocks. No HTML is ever interpreted. */
export function AssistantText({ text, className, testId }: AssistantTextProps) {
  return (
    <div className={cn('flex flex-col gap-2 text-sm leading-relaxed break-words', className)} data-testid={testId}>
      {toBlocks(text).map((block, index) =>
        block.kind === 'code' ? (
          <pre key={index} className="overflow-x-auto rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs leading-5">
            {block.text}
          </pre>
        ) : (
          <p key={index}>
            {block.text.split('\n').map((line, lineIndex) => (
              <Fragment key={lineIndex}>
                {lineIndex > 0 ? <br /> : null}
                {renderInline(line)}
              </Fragment>
            ))}
          </p>
        ),
      )}
    </div>
  );
}
