import { access, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { childEnvironment, runCommand, trimLog, type CommandOutcome } from './run-command';

export interface BuildGateOptions {
  workspaceDir: string;
  signal?: AbortSignal;
  /** Per step (typecheck, build); default 2 minutes. */
  timeoutMs?: number;
  /** Extra environment for the build, e.g. `VITE_HANGAR_APP_NAME`. */
  env?: Record<string, string>;
  /** Caps on each step's reported errors. */
  maxErrorLines?: number;
  maxErrorChars?: number;
}

/** The outcome of one build gate run; the shape of the `build.finished` run event. */
export interface BuildResult {
  ok: boolean;
  /** `tsc --noEmit` errors, trimmed; empty when the typecheck passed. */
  typecheckErrors: string;
  /** `vite build` errors (or a missing dist/index.html), trimmed; empty when the build passed. */
  buildErrors: string;
  durationMs: number;
}

/**
 * Runs `tsc --noEmit` and `vite build` in parallel in the workspace (each from the workspace's
 * own node_modules, through `node`, never a shell) and reports each one's errors separately, so
 * the model can tell a type error from a syntax or bundling error. `dist/` is removed first, so a
 * passing gate always means a fresh `dist/index.html`.
 */
export async function runBuildGate(options: BuildGateOptions): Promise<BuildResult> {
  const started = performance.now();
  const { workspaceDir } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const trim = (text: string) => trimLog(text, options.maxErrorLines ?? 60, options.maxErrorChars ?? 6000);
  const distDir = path.join(workspaceDir, 'dist');
  await rm(distDir, { recursive: true, force: true });

  const run = async (binary: string, args: string[], env: Record<string, string>): Promise<CommandOutcome | string> => {
    const script = await resolveBinary(workspaceDir, binary);
    if (typeof script !== 'string') return script.problem;
    return runCommand(process.execPath, [script, ...args], {
      cwd: workspaceDir,
      timeoutMs,
      env: childEnvironment(env),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  const [typecheck, build] = await Promise.all([
    run('tsc', ['--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], {}),
    run('vite', ['build', '--logLevel', 'error'], { ...options.env, NODE_ENV: 'production' }),
  ]);

  const realWorkspace = await realpath(workspaceDir);
  const typecheckErrors = trim(withoutNoise(stepErrors('tsc', typecheck, timeoutMs), [workspaceDir, realWorkspace]));
  let buildErrors = trim(withoutNoise(stepErrors('vite build', build, timeoutMs), [workspaceDir, realWorkspace]));
  if (buildErrors === '' && !(await exists(path.join(distDir, 'index.html')))) {
    buildErrors =
      'vite build finished but dist/index.html was not written. Keep index.html at the workspace root and build.outDir set to "dist".';
  }
  return {
    ok: typecheckErrors === '' && buildErrors === '',
    typecheckErrors,
    buildErrors,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The errors one step reported, or an empty string when it passed. */
function stepErrors(step: string, outcome: CommandOutcome | string, timeoutMs: number): string {
  if (typeof outcome === 'string') return outcome;
  if (outcome.aborted) return `${step} was stopped.`;
  if (outcome.timedOut) return `${step} did not finish within ${Math.round(timeoutMs / 1000)} s.\n${outcome.stdout}\n${outcome.stderr}`;
  if (outcome.startError) return `${step} could not start: ${outcome.startError}`;
  if (outcome.exitCode === 0) return '';
  const output = `${outcome.stdout}\n${outcome.stderr}`.trim();
  return output === '' ? `${step} failed with exit code ${outcome.exitCode ?? 'unknown'}.` : output;
}

/**
 * Error output without what only costs the model tokens: JavaScript stack frames of the build
 * tool itself, the error object's trailing dump, and the workspace's absolute path (paths become
 * workspace-relative, as the file tools use them).
 */
export function withoutNoise(text: string, workspacePaths: readonly string[]): string {
  let cleaned = text;
  for (const workspacePath of workspacePaths) {
    cleaned = cleaned.split(`file://${workspacePath}/`).join('').split(`${workspacePath}/`).join('');
  }
  return cleaned
    .split('\n')
    .filter((line) => !/^\s+at\s/.test(line) && !/^\s+errors: \[Getter\/Setter\]$/.test(line) && !/^\s*}\s*$/.test(line))
    .join('\n');
}

/**
 * The script behind `node_modules/.bin/<name>`, which must resolve inside the workspace's own
 * node_modules (never a binary elsewhere on the machine).
 */
async function resolveBinary(workspaceDir: string, name: string): Promise<string | { problem: string }> {
  const nodeModules = path.join(workspaceDir, 'node_modules');
  try {
    const [script, realNodeModules] = await Promise.all([realpath(path.join(nodeModules, '.bin', name)), realpath(nodeModules)]);
    if (path.relative(realNodeModules, script).startsWith('..'))
      return { problem: `node_modules/.bin/${name} points outside the workspace.` };
    return script;
  } catch {
    return { problem: `${name} is not installed in the workspace (node_modules/.bin/${name} is missing).` };
  }
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}
