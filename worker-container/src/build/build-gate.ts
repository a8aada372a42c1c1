import { access, lstat, mkdir, readdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildEnvironment } from './build-environment';
import { defaultBuildSandbox, type BuildSandbox } from './build-sandbox';
import { enforcePlatformFiles, WorkspaceDependencyError } from './platform-files';
import { runCommand, trimLog, type CommandOutcome } from './run-command';
import { warmTypeCheck, warmUpTypeChecker } from './warm-type-check';
import { startSpareViteBuild, viteBuildDirectories, warmViteBuild } from './warm-vite-build';

export interface BuildGateOptions {
  workspaceDir: string;
  signal?: AbortSignal;
  /** Per step (typecheck, build); default 2 minutes. */
  timeoutMs?: number;
  /** Extra environment for the build, e.g. `VITE_HANGAR_APP_NAME`. */
  env?: Record<string, string>;
  /** Where tsc and vite run; default: the strongest confinement this machine offers (build-sandbox.ts). */
  sandbox?: BuildSandbox;
  /** When set, the platform's build configuration is reset from this template before building. */
  templateDir?: string;
  /** Caps on each step's reported errors. */
  maxErrorLines?: number;
  maxErrorChars?: number;
  /**
   * `warm` (default): the app's long-lived type checker (warm-type-check.ts), which after the
   * first build checks only what changed; `cold`: a one-shot `tsc`. Both report the same errors.
   */
  typeCheck?: 'warm' | 'cold';
  /**
   * `warm` (default): `vite build` by the app's spare build process when one is ready or starting
   * (warm-vite-build.ts: Vite already loaded and warmed, one build per process), and a new spare
   * is started for the next build; `cold`: a new `vite build` process. Both report and write the same.
   */
  bundler?: 'warm' | 'cold';
}

/** The outcome of one build gate run; the shape of the `build.finished` run event. */
export interface BuildResult {
  ok: boolean;
  /** `tsc --noEmit` errors, trimmed; empty when the typecheck passed. */
  typecheckErrors: string;
  /** `vite build` errors (or a missing dist/index.html), trimmed; empty when the build passed. */
  buildErrors: string;
  durationMs: number;
  /** Platform files that were reset from the template before this build (workspace-relative). */
  platformFilesReset?: string[];
  /** How long each step took, and which type checker answered (`cold` also when the warm one could not). */
  steps?: { typecheckMs: number; buildMs: number; typeChecker: 'warm' | 'cold'; bundler: 'warm' | 'cold' };
}

/**
 * Runs `tsc --noEmit` and `vite build` in parallel in the workspace (each from the workspace's
 * own node_modules, through `node`, never a shell) and reports each one's errors separately, so
 * the model can tell a type error from a syntax or bundling error. `dist/` is removed first, so a
 * passing gate always means a fresh `dist/index.html`. The type check is answered by the app's
 * warm type checker when it can (warm-type-check.ts: the same output, checking only what changed
 * since the last build), else by a one-shot `tsc`; `vite build` by the app's spare build process
 * (warm-vite-build.ts: started after the last build, single-use), else by a new process.
 *
 * Both steps run model-written code, so they run confined (`sandbox`), with nothing of the
 * worker's environment (`buildEnvironment`), and after the platform's build configuration has
 * been reset from the template (`templateDir`): see docs/decisions/0008-build-sandbox.md.
 */
export async function runBuildGate(options: BuildGateOptions): Promise<BuildResult> {
  const started = performance.now();
  const workspaceDir = await realpath(options.workspaceDir);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const trim = (text: string) => trimLog(text, options.maxErrorLines ?? 60, options.maxErrorChars ?? 6000);
  const elapsed = () => Math.round(performance.now() - started);
  let platformFilesReset: string[] = [];
  if (options.templateDir) {
    try {
      platformFilesReset = (await enforcePlatformFiles(options.templateDir, workspaceDir)).reset;
    } catch (error) {
      if (!(error instanceof WorkspaceDependencyError)) throw error;
      return { ok: false, typecheckErrors: '', buildErrors: error.message, durationMs: elapsed() };
    }
  }
  const sandbox = options.sandbox ?? (await defaultBuildSandbox());
  const distDir = path.join(workspaceDir, 'dist');
  await emptyDirectory(distDir);

  const run = async (
    binary: string,
    args: string[],
    step: { env: Record<string, string>; writableDirs?: readonly string[]; scratchDirs?: readonly string[] },
  ) => {
    const script = await resolveBinary(workspaceDir, binary);
    if (typeof script !== 'string') return script.problem;
    const command = await sandbox.confine({
      file: process.execPath,
      args: [script, ...args],
      workspaceDir,
      env: buildEnvironment(step.env),
      ...(step.writableDirs ? { writableDirs: step.writableDirs } : {}),
      ...(step.scratchDirs ? { scratchDirs: step.scratchDirs } : {}),
    });
    return runCommand(command.file, command.args, {
      cwd: workspaceDir,
      timeoutMs,
      env: command.env,
      ...(command.uid !== undefined ? { uid: command.uid } : {}),
      ...(command.gid !== undefined ? { gid: command.gid } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  let typeChecker: 'warm' | 'cold' = 'cold';
  const typeCheck = async () => {
    if (options.typeCheck !== 'cold') {
      const typescript = await resolvePackageFile(workspaceDir, 'typescript/lib/typescript.js');
      if (typeof typescript === 'string') {
        const warm = await warmTypeCheck({
          sandbox,
          workspaceDir,
          typescriptPath: typescript,
          timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        }).catch(() => null);
        if (warm) {
          typeChecker = 'warm';
          return warm;
        }
      }
    }
    // Incremental state would be written wherever tsconfig says: never, whatever tsconfig says.
    return run('tsc', ['--noEmit', '-p', 'tsconfig.json', '--pretty', 'false', '--incremental', 'false'], { env: {} });
  };
  const viteEnv = { ...options.env, NODE_ENV: 'production' };
  let bundler: 'warm' | 'cold' = 'cold';
  let vitePath: string | undefined;
  if (options.bundler !== 'cold') {
    const resolved = await resolvePackageFile(workspaceDir, 'vite/dist/node/index.js');
    if (typeof resolved === 'string') vitePath = resolved;
  }
  const viteBuild = async () => {
    if (vitePath) {
      const warm = await warmViteBuild({
        sandbox,
        workspaceDir,
        vitePath,
        env: viteEnv,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }).catch(() => null);
      if (warm) {
        bundler = 'warm';
        return warm;
      }
    }
    // Vite bundles its config into node_modules/.vite-temp and keeps a cache: scratch space, discarded.
    return run('vite', ['build', '--logLevel', 'error'], { env: viteEnv, ...viteBuildDirectories });
  };
  const timedStep = async <T>(step: () => Promise<T>): Promise<[T, number]> => {
    const stepStarted = performance.now();
    const outcome = await step();
    return [outcome, Math.round(performance.now() - stepStarted)];
  };
  const [[typecheck, typecheckMs], [build, buildMs]] = await Promise.all([timedStep(typeCheck), timedStep(viteBuild)]);
  // The next build's spare starts now (it warms while the model works; starting it takes milliseconds).
  if (vitePath) await startSpareViteBuild({ sandbox, workspaceDir, vitePath });

  const paths = [...new Set([options.workspaceDir, workspaceDir])];
  const typecheckErrors = trim(withoutNoise(stepErrors('tsc', typecheck, timeoutMs), paths));
  let buildErrors = trim(withoutNoise(stepErrors('vite build', build, timeoutMs), paths));
  if (buildErrors === '' && !(await exists(path.join(distDir, 'index.html')))) {
    buildErrors =
      'vite build finished but dist/index.html was not written. Keep index.html at the workspace root and build.outDir set to "dist".';
  }
  return {
    ok: typecheckErrors === '' && buildErrors === '',
    typecheckErrors,
    buildErrors,
    durationMs: elapsed(),
    ...(platformFilesReset.length > 0 ? { platformFilesReset } : {}),
    steps: { typecheckMs, buildMs, typeChecker, bundler },
  };
}

/**
 * Warms the app's build processes while nothing waits for them (the worker calls it once the
 * workspace is ready, while the plan awaits acceptance and the model writes): a spare Vite build,
 * and a warm-up of the type checker (parse, bind, check file by file, giving way the moment a
 * build's check arrives), so that the first `done_building` checks little more than what the
 * model wrote. Never throws; the first build's check is complete either way.
 */
export async function prewarmBuildGate(options: Pick<BuildGateOptions, 'workspaceDir' | 'sandbox'>): Promise<void> {
  try {
    const workspaceDir = await realpath(options.workspaceDir);
    const sandbox = options.sandbox ?? (await defaultBuildSandbox());
    const [vitePath, typescriptPath] = await Promise.all([
      resolvePackageFile(workspaceDir, 'vite/dist/node/index.js'),
      resolvePackageFile(workspaceDir, 'typescript/lib/typescript.js'),
    ]);
    if (typeof vitePath === 'string') await startSpareViteBuild({ sandbox, workspaceDir, vitePath });
    if (typeof typescriptPath === 'string') await warmUpTypeChecker({ sandbox, workspaceDir, typescriptPath });
  } catch {
    // Nothing warm: the first build starts its own processes.
  }
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
 * tool itself, the error object's trailing dump, how long the failed build took, and the workspace's absolute path (paths become
 * workspace-relative, as the file tools use them).
 */
export function withoutNoise(text: string, workspacePaths: readonly string[]): string {
  let cleaned = text;
  for (const workspacePath of workspacePaths) {
    cleaned = cleaned.split(`file://${workspacePath}/`).join('').split(`${workspacePath}/`).join('');
  }
  return cleaned
    .split('\n')
    .filter(
      (line) =>
        !/^\s+at\s/.test(line) &&
        !/^\s+errors: \[Getter\/Setter\]$/.test(line) &&
        !/^\s*}\s*$/.test(line) &&
        !/^✗ Build failed in [\d.]+m?s$/.test(line),
    )
    .join('\n');
}

/**
 * The script behind `node_modules/.bin/<name>`, which must resolve inside the workspace's own
 * node_modules (never a binary elsewhere on the machine).
 */
async function resolveBinary(workspaceDir: string, name: string): Promise<string | { problem: string }> {
  const script = await resolvePackageFile(workspaceDir, `.bin/${name}`);
  if (typeof script === 'string' || !script.missing) return script;
  return { problem: `${name} is not installed in the workspace (node_modules/.bin/${name} is missing).` };
}

/** A file of an installed package, which must resolve inside the workspace's own node_modules. */
async function resolvePackageFile(workspaceDir: string, relative: string): Promise<string | { problem: string; missing: boolean }> {
  const nodeModules = path.join(workspaceDir, 'node_modules');
  try {
    const [file, realNodeModules] = await Promise.all([realpath(path.join(nodeModules, relative)), realpath(nodeModules)]);
    if (path.relative(realNodeModules, file).startsWith('..'))
      return { problem: `node_modules/${relative} points outside the workspace.`, missing: false };
    return file;
  } catch {
    return { problem: `node_modules/${relative} is missing.`, missing: true };
  }
}

/**
 * Removes what a directory holds but keeps the directory itself: a spare build's sandbox has it
 * bound writable, and a new directory at the path would not be the one it writes to.
 */
async function emptyDirectory(directory: string): Promise<void> {
  // Anything but a real directory (a planted symlink) goes itself, never what it points to.
  const info = await lstat(directory).catch(() => null);
  if (info && !info.isDirectory()) await rm(directory, { force: true });
  await mkdir(directory, { recursive: true });
  await Promise.all((await readdir(directory)).map((entry) => rm(path.join(directory, entry), { recursive: true, force: true })));
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}
