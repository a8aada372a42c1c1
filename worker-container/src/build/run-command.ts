import { execFile } from 'node:child_process';
import { scrubbedEnvironment } from './build-environment';

export interface RunCommandOptions {
  cwd: string;
  /** Killed (SIGTERM, then reported as timed out) after this many milliseconds. */
  timeoutMs: number;
  /**
   * How long a process told to stop (timeout or abort) has to exit before it gets SIGKILL
   * (default 5,000 ms). npm has been seen to survive a SIGTERM during an install, idle for good.
   */
  killGraceMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Largest stdout or stderr kept, in bytes. */
  maxBufferBytes?: number;
  /** Run as this user and group (the worker must be root): the build sandbox's `separate-user` mode. */
  uid?: number;
  gid?: number;
}

export interface CommandOutcome {
  /** Exit code, or null when the process was killed or could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Why the process could not be started (ENOENT, …), if it could not. */
  startError?: string;
  durationMs: number;
}

/**
 * Runs a program with `execFile`: arguments go straight to the program, never through a shell.
 * Never rejects; a non-zero exit, a timeout, an abort or a missing binary are all in the outcome.
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions): Promise<CommandOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    // An aborted execFile calls back at once: the outcome waits for the process to be gone, so
    // that a caller never cleans up under a program that still runs.
    let exited = false;
    let outcome: Omit<CommandOutcome, 'durationMs'> | null = null;
    const finish = (result: Omit<CommandOutcome, 'durationMs'>) => {
      outcome = result;
      if (exited || child.pid === undefined) resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs,
        killSignal: 'SIGTERM',
        maxBuffer: options.maxBufferBytes ?? 16 * 1024 * 1024,
        env: options.env ?? process.env,
        encoding: 'utf8',
        windowsHide: true,
        ...(options.uid !== undefined ? { uid: options.uid } : {}),
        ...(options.gid !== undefined ? { gid: options.gid } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) {
          finish({ exitCode: 0, stdout, stderr, timedOut: false, aborted: false });
          return;
        }
        const aborted = options.signal?.aborted === true;
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        const killed = 'killed' in error && error.killed === true;
        finish({
          exitCode: typeof code === 'number' ? code : null,
          stdout,
          stderr,
          timedOut: killed && !aborted,
          aborted,
          ...(typeof code === 'string' && !aborted ? { startError: `${code}: ${error.message}` } : {}),
        });
      },
    );
    // execFile sends SIGTERM on timeout or abort and then waits for the exit however long it takes.
    const grace = options.killGraceMs ?? 5000;
    let force: NodeJS.Timeout | undefined;
    const escalate = () => {
      force ??= setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, grace);
    };
    const deadline = setTimeout(escalate, options.timeoutMs);
    // A signal aborted before the call still has execFile send its SIGTERM, but fires no event.
    if (options.signal?.aborted) escalate();
    else options.signal?.addEventListener('abort', escalate, { once: true });
    child.once('exit', () => {
      exited = true;
      clearTimeout(deadline);
      clearTimeout(force);
      options.signal?.removeEventListener('abort', escalate);
      if (outcome) finish(outcome);
    });
    child.once('error', () => clearTimeout(deadline));
  });
}

/**
 * The environment for npm and other trusted tools: the worker's own minus secrets, platform
 * variables and what npm scripts and test runners inject (`npm_config_local_prefix` would point
 * npm at the wrong project, `NODE_ENV=test` or `VITEST` would change how Vite builds), plus
 * `extra`. Builds get far less: see `buildEnvironment`.
 */
export function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return scrubbedEnvironment(process.env, extra);
}

/** Removes ANSI colour and cursor escape sequences. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g, '');
}

/** The first `maxLines` lines and `maxChars` characters of `text`, ANSI stripped, noting what was cut. */
export function trimLog(text: string, maxLines = 60, maxChars = 6000): string {
  const lines = stripAnsi(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, index, all) => line !== '' || (index > 0 && all[index - 1] !== ''));
  while (lines.at(-1) === '') lines.pop();
  while (lines[0] === '') lines.shift();
  let kept = lines.slice(0, maxLines).join('\n');
  const omittedLines = lines.length - Math.min(lines.length, maxLines);
  let note = omittedLines > 0 ? `… ${omittedLines} more lines` : '';
  if (kept.length > maxChars) {
    kept = kept.slice(0, maxChars);
    note = '… output truncated';
  }
  return note ? `${kept}\n${note}` : kept;
}
