/**
 * The warm type checker (type-check-server.mjs): a TypeScript process per app that lives as long
 * as the run, inside the same build sandbox as a one-shot `tsc`, so that a follow-up build checks
 * only what an edit affects instead of parsing and checking the whole program again.
 *
 * It keeps its state in memory only: no build info file, no writable directory, nothing on disk
 * that model-written code could change between builds (see docs/decisions/0008-build-sandbox.md).
 * Its answer is the one-shot `tsc`'s output and exit code; when it cannot answer (it crashed, the
 * workspace directory was replaced), the caller runs the one-shot `tsc` instead.
 */
import { readFile, stat } from 'node:fs/promises';
import { buildEnvironment } from './build-environment';
import type { BuildSandbox } from './build-sandbox';
import type { CommandOutcome } from './run-command';
import { startSandboxedServer, type SandboxedServer } from './sandboxed-server';

export interface WarmTypeCheckRequest {
  sandbox: BuildSandbox;
  /** The workspace's real path. */
  workspaceDir: string;
  /** The workspace's own `typescript/lib/typescript.js` (real path, inside its node_modules). */
  typescriptPath: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What is alive, for tests and logs. */
export interface WarmTypeCheckerInfo {
  workspaceDir: string;
  pid: number | undefined;
  /** Checks answered by this process (the first one was a full check). */
  checks: number;
}

/** Processes kept at most; the least recently used one is stopped first (tests and the bench build many apps). */
const maxCheckers = 4;
let serverSource: Promise<string> | undefined;
const readServerSource = () => (serverSource ??= readFile(new URL('./type-check-server.mjs', import.meta.url), 'utf8'));
const sandboxIds = new WeakMap<BuildSandbox, number>();
let nextSandboxId = 1;
const checkers = new Map<string, WarmTypeChecker>();

/**
 * The type check through the app's warm checker, started if needed. Null when no warm answer could
 * be had: the caller then runs the one-shot `tsc` (and the next build starts a new checker).
 */
export async function warmTypeCheck(request: WarmTypeCheckRequest): Promise<CommandOutcome | null> {
  if (request.signal?.aborted) return stopped(0);
  const found = await appChecker(request);
  if (!found) return null;
  const outcome = await found.checker.check(request.timeoutMs, request.signal);
  if (outcome === null || outcome.timedOut || outcome.aborted) {
    found.checker.stop();
    checkers.delete(found.key);
  }
  return outcome;
}

/**
 * Starts the app's checker if needed and has it parse and check the workspace as it is while no
 * build waits: it checks file by file and stops at once when a build's check arrives (which then
 * reuses whatever the warm-up finished). Never throws.
 */
export async function warmUpTypeChecker(request: Omit<WarmTypeCheckRequest, 'timeoutMs' | 'signal'>): Promise<void> {
  const found = await appChecker(request).catch(() => null);
  found?.checker.warmUp();
}

/** The app's live checker for this workspace directory and TypeScript, started if needed; null when it cannot start. */
async function appChecker(
  request: Omit<WarmTypeCheckRequest, 'timeoutMs' | 'signal'>,
): Promise<{ key: string; checker: WarmTypeChecker } | null> {
  // A different TypeScript (another file at the same path) needs a new process, not the loaded one.
  const key = `${sandboxKey(request.sandbox)}\0${request.workspaceDir}\0${request.typescriptPath}\0${await fileIdentity(request.typescriptPath)}`;
  const identity = await directoryIdentity(request.workspaceDir);
  let checker = checkers.get(key);
  // A workspace directory replaced since the checker started is not what its sandbox sees.
  if (checker && (checker.stopped || checker.identity !== identity)) {
    checker.stop();
    checker = undefined;
  }
  if (!checker) {
    try {
      checker = await WarmTypeChecker.start(request, identity);
    } catch {
      return null;
    }
    checkers.set(key, checker);
    for (const [oldest, old] of checkers) {
      if (checkers.size <= maxCheckers) break;
      old.stop();
      checkers.delete(oldest);
    }
  }
  // Most recently used last.
  checkers.delete(key);
  checkers.set(key, checker);
  return { key, checker };
}

/** Stops every warm checker, or those of one workspace (tests, the bench, a discarded standby workspace; the worker's end stops them by closing their stdin). */
export function stopWarmTypeCheckers(workspaceDir?: string): void {
  for (const [key, checker] of checkers) {
    if (workspaceDir !== undefined && checker.info().workspaceDir !== workspaceDir) continue;
    checker.stop();
    checkers.delete(key);
  }
}

/**
 * Hands the warm checkers of the workspace at `fromDir` to `toDir`, a new name of the same
 * directory (a standby worker's prepared workspace renamed to an app's: worker/standby.ts). Only
 * for a sandbox with its own mount namespace: the bind mount follows the directory, not its name,
 * so inside the sandbox the checker keeps the path it started with, and its answers are rewritten
 * to the new one. Returns how many were handed over.
 */
export function adoptWarmTypeCheckers(fromDir: string, toDir: string): number {
  let adopted = 0;
  for (const [key, checker] of [...checkers]) {
    if (checker.info().workspaceDir !== fromDir) continue;
    checkers.delete(key);
    checkers.set(movedKey(key, fromDir, toDir), checker);
    checker.moveTo(toDir);
    adopted++;
  }
  return adopted;
}

/** `file` after its directory `fromDir` was renamed to `toDir`. */
export function movedPath(file: string, fromDir: string, toDir: string): string {
  if (file === fromDir) return toDir;
  return file.startsWith(`${fromDir}/`) ? `${toDir}${file.slice(fromDir.length)}` : file;
}

/** A process key (`sandbox\0workspace\0package file\0identity`) with its paths moved. */
export function movedKey(key: string, fromDir: string, toDir: string): string {
  return key
    .split('\0')
    .map((part) => movedPath(part, fromDir, toDir))
    .join('\0');
}

/** Output of a process that sees the workspace at `sandboxDir`, as if it saw it at `workspaceDir`. */
export function withWorkspacePath(text: string, sandboxDir: string, workspaceDir: string): string {
  return sandboxDir === workspaceDir ? text : text.split(`${sandboxDir}/`).join(`${workspaceDir}/`);
}

/** Resolves once every checker's warm-up has stopped: the bench's stand-in for a model turn (keeps the process alive while it waits). */
export async function warmTypeCheckersReady(): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await Promise.all([...checkers.values()].map((checker) => checker.warmedUp));
  } finally {
    clearInterval(keepAlive);
  }
}

export function warmTypeCheckers(): WarmTypeCheckerInfo[] {
  return [...checkers.values()].filter((checker) => !checker.stopped).map((checker) => checker.info());
}

/** One key per sandbox object: a process started in one sandbox is not handed to a build asking for another. */
export function sandboxKey(sandbox: BuildSandbox): number {
  let id = sandboxIds.get(sandbox);
  if (id === undefined) sandboxIds.set(sandbox, (id = nextSandboxId++));
  return id;
}

/** Which directory is at a path now: a replaced one differs (its contents may change freely). */
export async function directoryIdentity(directory: string): Promise<string> {
  const info = await stat(directory, { bigint: true });
  return `${info.dev}:${info.ino}`;
}

/** Which file is at a path now: a replaced or rewritten one differs (hard links of one file do not). */
export async function fileIdentity(file: string): Promise<string> {
  const info = await stat(file, { bigint: true });
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}`;
}

function stopped(durationMs: number): CommandOutcome {
  return { exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: true, durationMs };
}

interface Answer {
  id?: number;
  warmedUp?: boolean;
  exitCode?: number;
  output?: string;
  problem?: string;
}

class WarmTypeChecker {
  stopped = false;
  private checks = 0;
  private nextId = 1;
  private pending: { id: number; resolve: (answer: Answer | null) => void } | null = null;
  /** One check at a time: a second build of the same app waits for the first. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Where the process sees the workspace (it keeps the path it started with when the directory is renamed). */
  private readonly sandboxDir: string;

  private constructor(
    private readonly server: SandboxedServer,
    private workspaceDir: string,
    readonly identity: string,
  ) {
    this.sandboxDir = workspaceDir;
  }

  /** The workspace directory was renamed: answers speak of its new path. */
  moveTo(workspaceDir: string): void {
    this.workspaceDir = workspaceDir;
  }

  static async start(request: Omit<WarmTypeCheckRequest, 'timeoutMs' | 'signal'>, identity: string): Promise<WarmTypeChecker> {
    // Messages and exit arrive after start returns; until then there is nothing to tell.
    const started: { checker?: WarmTypeChecker } = {};
    const server = await startSandboxedServer({
      sandbox: request.sandbox,
      workspaceDir: request.workspaceDir,
      source: await readServerSource(),
      args: [request.typescriptPath],
      env: buildEnvironment({}),
      onMessage: (message) => started.checker?.answered(message),
      onGone: () => started.checker?.markStopped(),
    });
    started.checker = new WarmTypeChecker(server, request.workspaceDir, identity);
    return started.checker;
  }

  private answered(answer: Answer): void {
    if (answer.warmedUp === true) {
      this.warmingUp?.();
      this.warmingUp = undefined;
    } else if (this.pending && answer.id === this.pending.id) {
      const { resolve } = this.pending;
      this.pending = null;
      resolve(answer);
    }
  }

  info(): WarmTypeCheckerInfo {
    return { workspaceDir: this.workspaceDir, pid: this.server.child.pid, checks: this.checks };
  }

  /** Resolves when the warm-up asked for last has stopped (done, interrupted by a check, or the process gone). */
  warmedUp: Promise<void> = Promise.resolve();
  private warmingUp: (() => void) | undefined;

  /** Asks for a warm-up; a check sent after it interrupts it. */
  warmUp(): void {
    if (this.stopped) return;
    this.warmingUp?.();
    this.warmedUp = new Promise((resolve) => (this.warmingUp = resolve));
    this.server.send({ warmUp: true });
  }

  check(timeoutMs: number, signal?: AbortSignal): Promise<CommandOutcome | null> {
    const run = this.queue.then(() => this.checkNow(timeoutMs, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkNow(timeoutMs: number, signal?: AbortSignal): Promise<CommandOutcome | null> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (this.stopped) return null;
    if (signal?.aborted) return stopped(0);
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await new Promise<Answer | 'timeout' | 'aborted' | null>((resolve) => {
      this.pending = { id, resolve };
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      onAbort = () => resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.server.send({ id });
    });
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    this.pending = null;
    if (outcome === 'timeout') {
      this.stop();
      return { exitCode: null, stdout: '', stderr: this.server.stderr(), timedOut: true, aborted: false, durationMs: elapsed() };
    }
    if (outcome === 'aborted') {
      this.stop();
      return stopped(elapsed());
    }
    if (outcome === null || typeof outcome.exitCode !== 'number' || typeof outcome.output !== 'string') return null;
    this.checks++;
    const output = withWorkspacePath(outcome.output, this.sandboxDir, this.workspaceDir);
    return { exitCode: outcome.exitCode, stdout: output, stderr: '', timedOut: false, aborted: false, durationMs: elapsed() };
  }

  markStopped(): void {
    this.stopped = true;
    this.warmingUp?.();
    this.warmingUp = undefined;
    if (this.pending) {
      const { resolve } = this.pending;
      this.pending = null;
      resolve(null);
    }
  }

  stop(): void {
    if (!this.stopped) this.server.child.kill('SIGKILL');
    this.markStopped();
  }
}
