import { spawn, type ChildProcess } from 'node:child_process';
import { workerEnvironmentVariables as names } from '@hangar/protocol';
import { modelVariables } from '@hangar/protocol';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';

export interface LocalProcessLauncherOptions {
  /** The worker entry point (worker-container/src/main.ts), run with Node and the tsx loader. */
  workerEntry: string;
  cwd: string;
  /** Extra environment for every worker (workspace dirs, template, model provider settings; names in `workerEnvironmentVariables`). */
  env: Record<string, string>;
  /** Called when a worker exits, besides the handlers given to `onWorkerExit`. */
  onExit?: (runId: string, code: number | null, signal: NodeJS.Signals | null) => void;
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
  stopAll(): Promise<void>;
} {
  const children = new Map<string, ChildProcess>();
  const exitHandlers = new Set<(runId: string, detail: string) => void>();
  const detached = new Set<ChildProcess>();
  const log = options.log ?? (() => undefined);

  const stop = (runId: string): Promise<void> => {
    const child = children.get(runId);
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };

  return {
    kind: 'local-process',
    launch(spec: RunSpec) {
      const child = spawn(process.execPath, ['--import', 'tsx', options.workerEntry], {
        cwd: options.cwd,
        env: {
          ...withoutModelSettings({ ...process.env, ...options.env }),
          [names.runId]: spec.runId,
          [names.runToken]: spec.runToken,
          [names.controlPlaneUrl]: spec.controlPlaneUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(spec.runId, child);
      const forward = (data: Buffer) => {
        for (const line of data.toString('utf8').split('\n')) if (line.trim()) log(line);
      };
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
      child.once('exit', (code, signal) => {
        if (detached.delete(child)) return;
        children.delete(spec.runId);
        options.onExit?.(spec.runId, code, signal);
        const detail = signal ? `signal ${signal}` : `exit code ${code ?? '?'}`;
        for (const handler of exitHandlers) handler(spec.runId, detail);
      });
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
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { exited, kill: () => child.kill('SIGKILL') };
    },
    async stopAll() {
      await Promise.all([...children.keys()].map(stop));
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
