import type { AgentsValidationError } from '@hangar/protocol';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { Spinner } from '../../components/ui/spinner';

export type LocatedProblem = AgentsValidationError & { line: number | null };

type ValidationProblemsProps = {
  id: string;
  problems: LocatedProblem[];
  checking: boolean;
  /** The check itself failed (network, server): said apart from the document's own problems. */
  checkError: string | null;
  onJump: (line: number) => void;
};

/** The validator's findings under the editor: each with its path, its line, and a click that goes there. */
export function ValidationProblems({ id, problems, checking, checkError, onJump }: ValidationProblemsProps) {
  return (
    <div id={id} aria-live="polite" className="flex flex-col gap-1.5" data-testid="agents-validation">
      {checkError ? (
        <p className="flex items-center gap-1.5 text-[13px] text-destructive">
          <CircleAlert className="size-3.5" aria-hidden /> Could not check the configuration: {checkError}
        </p>
      ) : problems.length === 0 ? (
        <p className="flex items-center gap-1.5 text-[13px] text-muted-foreground" data-testid="agents-valid">
          {checking ? <Spinner className="size-3.5" label={null} /> : <CircleCheck className="size-3.5 text-success" aria-hidden />}
          {checking ? 'Checking…' : 'Valid: no problems found.'}
        </p>
      ) : (
        <>
          <p className="flex items-center gap-1.5 text-[13px] font-medium text-destructive">
            <CircleAlert className="size-3.5" aria-hidden />
            {problems.length === 1 ? '1 problem' : `${problems.length} problems`}
            {checking ? <Spinner className="size-3.5" label="Checking" /> : null}
          </p>
          <ul className="flex max-h-48 flex-col gap-1 overflow-auto">
            {problems.map((problem, index) => (
              <li key={`${problem.path}-${index}`}>
                <button
                  type="button"
                  onClick={() => (problem.line ? onJump(problem.line) : undefined)}
                  className="flex w-full items-baseline gap-2 rounded-md px-2 py-1 text-left text-[13px] outline-none hover:bg-destructive/5 focus-visible:ring-2 focus-visible:ring-ring"
                  data-testid="agents-error"
                  data-path={problem.path}
                >
                  <span className="shrink-0 text-xs text-muted-foreground tabular-nums">{problem.line ? `line ${problem.line}` : ''}</span>
                  <span className="shrink-0 font-mono text-xs text-destructive">{problem.path}</span>
                  <span className="text-foreground/85">{problem.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
