import {
  CircleCheck,
  CircleX,
  FilePen,
  FilePlus,
  FileText,
  FolderTree,
  Hammer,
  ListChecks,
  Package,
  Search,
  Wrench,
  type LucideIcon,
} from 'lucide-react';
import { Spinner } from '../../../components/ui/spinner';
import { cn } from '../../../lib/utils';
import { DiffView } from '../diff-view';
import { CollapsibleSection } from './collapsible-section';
import type { ToolResult } from './transcript';

const toolIcons: Record<string, LucideIcon> = {
  read_file: FileText,
  write_file: FilePlus,
  edit_file: FilePen,
  list_files: FolderTree,
  search_files: Search,
  add_dependency: Package,
  done_building: Hammer,
  present_plan: ListChecks,
};

const toolVerbs: Record<string, string> = {
  read_file: 'Reading',
  write_file: 'Writing',
  edit_file: 'Editing',
  list_files: 'Listing',
  search_files: 'Searching',
  add_dependency: 'Adding',
  done_building: 'Building',
  present_plan: 'Waiting for a decision on the plan',
};

/** "Writing src/App.tsx" from a tool's input, while it runs. */
function pendingSummary(name: string, input: unknown): string {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const subject = [record.path, record.query, record.name].find((value): value is string => typeof value === 'string');
  const verb = toolVerbs[name] ?? `Running ${name}`;
  return subject ? `${verb} ${subject}` : `${verb}…`;
}

type ToolCardProps = { name: string; input: unknown; result: ToolResult | null; active: boolean };

/** One tool call of the agent: what it did, whether it worked, and its output or diff on demand. */
export function ToolCard({ name, input, result, active }: ToolCardProps) {
  const Icon = toolIcons[name] ?? Wrench;
  const state = result ? (result.ok ? 'ok' : 'error') : active ? 'running' : 'unfinished';
  const showDiff = Boolean(result?.diff) && (name === 'write_file' || name === 'edit_file');
  const details = showDiff ? result?.diff : result?.output;

  const header = (
    <span className="flex min-w-0 flex-1 items-center gap-2">
      <Icon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
      <span className="min-w-0 flex-1 truncate font-mono text-xs text-foreground/85">{result?.summary ?? pendingSummary(name, input)}</span>
      {state === 'running' ? <Spinner className="size-3.5 text-muted-foreground" label="Running" /> : null}
      {state === 'ok' ? <CircleCheck className="size-3.5 shrink-0 text-success" aria-label="Succeeded" /> : null}
      {state === 'error' ? <CircleX className="size-3.5 shrink-0 text-destructive" aria-label="Failed" /> : null}
      {state === 'unfinished' ? <span className="text-xs text-muted-foreground">did not finish</span> : null}
    </span>
  );

  return (
    <div
      data-testid="tool-card"
      data-tool-name={name}
      data-state={state}
      className={cn('rounded-lg border bg-card px-3 py-2', state === 'error' && 'border-destructive/30 bg-destructive/[0.03]')}
    >
      {details ? (
        <CollapsibleSection summary={header} summaryClassName="text-foreground">
          {showDiff ? (
            <DiffView diff={details} className="max-h-80" />
          ) : (
            <pre className="max-h-80 overflow-auto rounded-md bg-muted/60 px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap">
              {details}
            </pre>
          )}
        </CollapsibleSection>
      ) : (
        <div className="flex items-center gap-1.5 pl-5">{header}</div>
      )}
    </div>
  );
}
