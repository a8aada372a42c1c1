import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { modelVariables, workerEnvironmentVariables, workerStandbyVariable, type WorkerAssignment } from '@hangar/protocol';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';

const names = { ...workerEnvironmentVariables, standby: workerStandbyVariable };

export interface LocalProcessLauncherOptions {
  /** The worker entry point (worker-container/src/main.ts), run with Node and the tsx loader. */
  workerEntry: string;
  cwd: string;
  /** Extra environment for every worker (workspace dirs, template, model provider settings; names in `workerEnvironmentVariables`). */
  env: Record<string, string>;
  /** Called when a worker exits, besides the handlers given to `onWorkerExit`. */
  onExit?: (runId: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /**
   * Keep one standby worker (docs/decisions/0021-standby-worker.md): started ahead with
   * everything but the run's variables, it prepares and warms a pristine workspace, and the next
   * run is handed to it over stdin instead of starting a process. Default off.
   */
  standby?: boolean;
  log?: (message: string) => void;
}

/** A worker no longer managed by its launcher. */
export interface DetachedWorker {
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  kill(): boolean;
}

/** Runs each builder run in its own child process, exactly as a Fargate task would run it. */
export function createLocalProcessLauncher(options: LocalProcessLauncherOptions): RunLauncher & {
  running(): string[];
  kill(runId: string): boolean;
  detach(runId: string): DetachedWorker | null;
  /**
   * Resolves once the standby worker (if one is kept) says it is warm, or is gone. While runs work,
   * that is the standby started once they end (the one a finished run had is no longer standby).
   */
  standbyReady(): Promise<void>;
  stopAll(): Promise<void>;
} {
  const children = new Map<string, ChildProcess>();
  const exitHandlers = new Set<(runId: string, detail: string) => void>();
  const detached = new Set<ChildProcess>();
  const log = options.log ?? (() => undefined);
  /** Which run each worker process serves (a standby serves none until it is assigned one). */
  const runOf = new Map<ChildProcess, string>();
  let standby: { child: ChildProcess; ready: Promise<void> } | null = null;
  let closed = false;
  /** Callers of `standbyReady` while runs work: they wait for the standby started once those end. */
  let standbyWaiters: (() => void)[] = [];
  const releaseWaiters = (when: Promise<void>) => {
    const waiters = standbyWaiters;
    standbyWaiters = [];
    for (const waiter of waiters) void when.then(waiter);
  };

  /** A worker process with the launcher's environment (never a model setting) and `runEnv`. */
  const spawnWorker = (runEnv: Record<string, string>, stdin: 'ignore' | 'pipe'): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', options.workerEntry], {
      cwd: options.cwd,
      // Only the launcher makes a standby: the variable is never inherited.
      env: { ...withoutModelSettings({ ...process.env, ...options.env, [names.standby]: undefined }), ...runEnv },
      stdio: [stdin, 'pipe', 'pipe'],
    });
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const forward = (line: string) => {
      if (!line.trim()) return;
      if (line === '[standby] ready') markReady();
      log(line);
    };
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', forward);
    child.stdin?.on('error', () => undefined);
    child.once('error', (error) => {
      log(`worker process: ${error.message}`);
      if (standby?.child === child) standby = null;
      markReady();
    });
    child.once('exit', (code, signal) => {
      markReady();
      if (standby?.child === child) standby = null;
      const runId = runOf.get(child);
      runOf.delete(child);
      if (detached.delete(child) || runId === undefined) return;
      children.delete(runId);
      // The next standby starts once no run is working: its warm-up would take their CPU.
      if (children.size === 0) startStandby();
      options.onExit?.(runId, code, signal);
      const detail = signal ? `signal ${signal}` : `exit code ${code ?? '?'}`;
      for (const handler of exitHandlers) handler(runId, detail);
    });
    if (stdin === 'pipe') standby = { child, ready };
    return child;
  };
  const startStandby = () => {
    if (options.standby && !closed && standby === null) spawnWorker({ [names.standby]: '1' }, 'pipe');
    releaseWaiters(standby?.ready ?? Promise.resolve());
  };
  startStandby();

  const stop = (runId: string): Promise<void> => {
    const child = children.get(runId);
    if (!child || child.exitCode !== null) return Promise.resolve();
    return stopProcess(child);
  };
  function stopProcess(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  return {
    kind: 'local-process',
    launch(spec: RunSpec) {
      const runEnv = { [names.runId]: spec.runId, [names.runToken]: spec.runToken, [names.controlPlaneUrl]: spec.controlPlaneUrl };
      // Only a new app's run can use the standby's pristine workspace; any other run starts its own process.
      const waiting =
        spec.newApp === true && standby && standby.child.exitCode === null && standby.child.signalCode === null ? standby.child : null;
      if (waiting) standby = null;
      const child = waiting ?? spawnWorker(runEnv, 'ignore');
      children.set(spec.runId, child);
      runOf.set(child, spec.runId);
      if (waiting) {
        const assignment: WorkerAssignment = { runId: spec.runId, runToken: spec.runToken, controlPlaneUrl: spec.controlPlaneUrl };
        waiting.stdin?.end(`${JSON.stringify(assignment)}\n`);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', reject);
      });
    },
    stop,
    onWorkerExit: (handler) => void exitHandlers.add(handler),
    running: () => [...children.keys()],
    /** Kills a worker without warning, as a lost machine would (tests of recovery). */
    kill: (runId: string) => children.get(runId)?.kill('SIGKILL') ?? false,
    /**
     * Lets a worker outlive this launcher (tests of a control-plane restart: on AWS a worker is
     * its own task). It is no longer stopped by `stopAll` and its exit is not reported.
     */
    detach(runId: string): DetachedWorker | null {
      const child = children.get(runId);
      if (!child || child.exitCode !== null || child.signalCode !== null) return null;
      children.delete(runId);
      detached.add(child);
      // No exit of a managed run will start the next standby now: nobody waits for it.
      if (children.size === 0) releaseWaiters(Promise.resolve());
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { exited, kill: () => child.kill('SIGKILL') };
    },
    standbyReady(): Promise<void> {
      if (standby) return standby.ready;
      // A run that had the standby (or any run) still works: the next standby starts once none does.
      // With no run working and no standby, it is gone (failed to start or was killed) and none comes.
      if (!options.standby || closed || children.size === 0) return Promise.resolve();
      return new Promise((resolve) => standbyWaiters.push(resolve));
    },
    async stopAll() {
      closed = true;
      releaseWaiters(Promise.resolve());
      const idle = standby?.child;
      standby = null;
      await Promise.all([
        ...[...children.keys()].map(stop),
        ...(idle && idle.exitCode === null && idle.signalCode === null ? [stopProcess(idle)] : []),
      ]);
    },
  };
}

/** The worker holds no model key or model setting: its model calls go through the control plane's gateway. */
export function withoutModelSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // AWS_REGION stays: it is not a secret and other AWS clients read it.
  const names = new Set<string>([...Object.values(modelVariables), 'AWS_BEARER_TOKEN_BEDROCK']);
  names.delete(modelVariables.awsRegion);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.has(name)));
}
