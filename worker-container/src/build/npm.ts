import { childEnvironment, runCommand, trimLog, type CommandOutcome } from './run-command';

export interface NpmOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The npm executable; `npm` from PATH by default. */
  npmCommand?: string;
}

/** Flags every npm call carries: no audit, no funding notice, no update check, no lifecycle scripts. */
export const quietNpmFlags = ['--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts'] as const;

/** Runs npm without a shell, in a clean environment. */
export function runNpm(args: readonly string[], options: NpmOptions): Promise<CommandOutcome> {
  return runCommand(options.npmCommand ?? 'npm', args, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    env: childEnvironment({ npm_config_progress: 'false', npm_config_color: 'false' }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** npm's output for a person or the model: trimmed, without warnings about this machine's npmrc. */
export function npmOutput(outcome: CommandOutcome, maxLines = 40): string {
  const text = `${outcome.stdout}\n${outcome.stderr}`
    .split('\n')
    .filter((line) => !/^npm warn Unknown (user|project|env|global|builtin) config/i.test(line))
    .join('\n');
  const problem = outcome.startError ?? (outcome.timedOut ? 'npm timed out' : outcome.aborted ? 'npm was stopped' : '');
  return trimLog(problem ? `${problem}\n${text}` : text, maxLines, 4000);
}
