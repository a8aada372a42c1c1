/**
 * Spare Vite builds (vite-build-server.mjs): for each app, one process that has already started
 * Node, loaded the workspace's Vite and plugins and warmed them on a fixed app of the platform's,
 * waiting in the build sandbox to run the app's next `vite build`. A build takes the spare (or,
 * when none is ready or starting, runs the one-shot `vite build` instead), and the gate starts the
 * next spare once it is done, while the model works on its next edit.
 *
 * A spare runs one build and exits, so nothing a build runs (an app's Tailwind plugin) outlives
 * it; it is started with the same confinement as the one-shot build and reports what the CLI
 * reports. See docs/decisions/0008-build-sandbox.md.
 */
import { readFile } from 'node:fs/promises';
import { buildEnvironment } from './build-environment';
import type { BuildSandbox } from './build-sandbox';
import type { CommandOutcome } from './run-command';
import { startSandboxedServer, type SandboxedServer } from './sandboxed-server';
import { directoryIdentity, fileIdentity, movedKey, sandboxKey, withWorkspacePath } from './warm-type-check';

export interface SpareViteBuildRequest {
  sandbox: BuildSandbox;
  /** The workspace's real path. */
  workspaceDir: string;
  /** The workspace's own `vite/dist/node/index.js` (real path, inside its node_modules). */
  vitePath: string;
}

export interface WarmViteBuildRequest extends SpareViteBuildRequest {
  /** The build's own variables (`VITE_HANGAR_APP_NAME`, `NODE_ENV`); checked by buildEnvironment. */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What is alive, for tests and logs. */
export interface SpareViteBuildInfo {
  workspaceDir: string;
  pid: number | undefined;
  ready: boolean;
}

/** The sandbox's directories of a Vite build: only dist/ is writable; Vite's config bundle and cache are discarded scratch. */
export const viteBuildDirectories = {
  writableDirs: ['dist'],
  scratchDirs: ['node_modules/.vite-temp', 'node_modules/.vite-app'],
} as const;

/** Spares kept at most; the least recently started one is stopped first (tests and the bench build many apps). */
const maxSpares = 4;
let serverSource: Promise<string> | undefined;
const readServerSource = () => (serverSource ??= readFile(new URL('./vite-build-server.mjs', import.meta.url), 'utf8'));
const spares = new Map<string, SpareViteBuild>();

async function spareKey(request: SpareViteBuildRequest): Promise<string> {
  return `${sandboxKey(request.sandbox)}\0${request.workspaceDir}\0${request.vitePath}\0${await fileIdentity(request.vitePath)}`;
}

/**
 * Starts the app's spare build if it has none (the gate calls it after every build; the worker
 * when the workspace is ready). Never throws: without a spare, the next build is a one-shot one.
 */
export async function startSpareViteBuild(request: SpareViteBuildRequest): Promise<void> {
  try {
    const key = await spareKey(request);
    const identity = await directoryIdentity(request.workspaceDir);
    const existing = spares.get(key);
    if (existing && !existing.stopped && existing.identity === identity) return;
    existing?.stop();
    spares.delete(key);
    spares.set(key, await SpareViteBuild.start(request, identity));
    for (const [oldest, old] of spares) {
      if (spares.size <= maxSpares) break;
      old.stop();
      spares.delete(oldest);
    }
  } catch {
    // No spare: the next build starts its own process.
  }
}

/**
 * The app's `vite build` by its spare (waiting for it when it is still warming up). Null when the
 * app has no live spare for this workspace directory and Vite: the caller runs the one-shot build.
 */
export async function warmViteBuild(request: WarmViteBuildRequest): Promise<CommandOutcome | null> {
  const env = buildEnvironment(request.env);
  const key = await spareKey(request);
  const spare = spares.get(key);
  if (!spare) return null;
  spares.delete(key);
  if (spare.stopped || spare.identity !== (await directoryIdentity(request.workspaceDir))) {
    spare.stop();
    return null;
  }
  return spare.build(env, request.timeoutMs, request.signal);
}

/** Stops every spare, or that of one workspace (tests, the bench, a discarded standby workspace; the worker's end stops them by closing their stdin). */
export function stopSpareViteBuilds(workspaceDir?: string): void {
  for (const [key, spare] of spares) {
    if (workspaceDir !== undefined && spare.info().workspaceDir !== workspaceDir) continue;
    spare.stop();
    spares.delete(key);
  }
}

/**
 * Hands the spare of the workspace at `fromDir` to `toDir`, a new name of the same directory; as
 * `adoptWarmTypeCheckers` (only for a sandbox with its own mount namespace). Returns how many.
 */
export function adoptSpareViteBuilds(fromDir: string, toDir: string): number {
  let adopted = 0;
  for (const [key, spare] of [...spares]) {
    if (spare.info().workspaceDir !== fromDir) continue;
    spares.delete(key);
    spares.set(movedKey(key, fromDir, toDir), spare);
    spare.moveTo(toDir);
    adopted++;
  }
  return adopted;
}

export function spareViteBuilds(): SpareViteBuildInfo[] {
  return [...spares.values()].filter((spare) => !spare.stopped).map((spare) => spare.info());
}

/** Resolves once every spare started so far is warm (or gone): the bench's stand-in for a model turn. */
export async function spareViteBuildsReady(): Promise<void> {
  await Promise.all([...spares.values()].map((spare) => spare.whenReady()));
}

interface Answer {
  id?: number | null;
  ready?: boolean;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

class SpareViteBuild {
  stopped = false;
  private isReady = false;
  /** Resolves when the spare is warm (true) or gone (false). */
  readonly ready: Promise<boolean>;
  private markReady: (ready: boolean) => void = () => undefined;
  private pending: ((answer: Answer | null) => void) | null = null;

  /** Where the process sees the workspace (it keeps the path it started with when the directory is renamed). */
  private readonly sandboxDir: string;

  private constructor(
    private readonly server: SandboxedServer,
    private workspaceDir: string,
    readonly identity: string,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.sandboxDir = workspaceDir;
  }

  /** The workspace directory was renamed: answers speak of its new path. */
  moveTo(workspaceDir: string): void {
    this.workspaceDir = workspaceDir;
  }

  static async start(request: SpareViteBuildRequest, identity: string): Promise<SpareViteBuild> {
    // Messages and exit arrive after start returns; until then there is nothing to tell.
    const started: { spare?: SpareViteBuild } = {};
    const server = await startSandboxedServer({
      sandbox: request.sandbox,
      workspaceDir: request.workspaceDir,
      source: await readServerSource(),
      args: [request.vitePath],
      env: buildEnvironment({ NODE_ENV: 'production' }),
      ...viteBuildDirectories,
      onMessage: (message) => started.spare?.answered(message),
      onGone: () => started.spare?.markStopped(),
    });
    started.spare = new SpareViteBuild(server, request.workspaceDir, identity);
    return started.spare;
  }

  private answered(answer: Answer): void {
    if (answer.ready === true) {
      this.isReady = true;
      this.markReady(true);
    } else if (this.pending) {
      const resolve = this.pending;
      this.pending = null;
      resolve(answer);
    }
  }

  /** `ready`, keeping the caller's process alive while it waits (an idle spare does not). */
  async whenReady(): Promise<boolean> {
    const streams = [this.server.child, this.server.child.stdout] as unknown as { ref?: () => void; unref?: () => void }[];
    for (const each of streams) each.ref?.();
    try {
      return await this.ready;
    } finally {
      for (const each of streams) each.unref?.();
    }
  }

  info(): SpareViteBuildInfo {
    return { workspaceDir: this.workspaceDir, pid: this.server.child.pid, ready: this.isReady };
  }

  async build(env: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<CommandOutcome | null> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (signal?.aborted) {
      this.stop();
      return stopped(0);
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await new Promise<Answer | 'timeout' | 'aborted' | null>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      onAbort = () => resolve('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      // Asked at once: the request waits in the pipe until the spare is warm.
      this.pending = resolve;
      if (this.stopped) resolve(null);
      else this.server.send({ id: 1, env });
    });
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    this.pending = null;
    this.stop();
    if (outcome === 'timeout')
      return { exitCode: null, stdout: '', stderr: this.server.stderr(), timedOut: true, aborted: false, durationMs: elapsed() };
    if (outcome === 'aborted') return stopped(elapsed());
    if (outcome === null || typeof outcome.exitCode !== 'number') return null;
    return {
      exitCode: outcome.exitCode,
      stdout: withWorkspacePath(outcome.stdout ?? '', this.sandboxDir, this.workspaceDir),
      stderr: withWorkspacePath(outcome.stderr ?? '', this.sandboxDir, this.workspaceDir),
      timedOut: false,
      aborted: false,
      durationMs: elapsed(),
    };
  }

  markStopped(): void {
    this.stopped = true;
    this.markReady(false);
    if (this.pending) {
      const resolve = this.pending;
      this.pending = null;
      resolve(null);
    }
  }

  stop(): void {
    if (!this.stopped) this.server.child.kill('SIGKILL');
    this.markStopped();
  }
}

function stopped(durationMs: number): CommandOutcome {
  return { exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: true, durationMs };
}
