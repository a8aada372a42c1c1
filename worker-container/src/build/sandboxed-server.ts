/**
 * A long-lived Node process in the build sandbox that speaks JSON lines: the warm type checker
 * (type-check-server.mjs) and the spare Vite build (vite-build-server.mjs). The script is passed
 * to `node -e` as text, so the sandbox needs no file of the worker's. An idle server does not
 * keep the worker (or a test runner) alive; a caller waiting on it keeps its own timer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BuildSandbox, ConfineRequest } from './build-sandbox';

export interface SandboxedServerOptions extends Pick<ConfineRequest, 'workspaceDir' | 'env' | 'writableDirs' | 'scratchDirs'> {
  sandbox: BuildSandbox;
  /** The server script's text (an ES module). */
  source: string;
  args: readonly string[];
  /** Each JSON line the server writes on stdout; other lines are ignored. */
  onMessage: (message: Record<string, unknown>) => void;
  /** The process exited, could not start or closed its stdin. */
  onGone: () => void;
}

export interface SandboxedServer {
  child: ChildProcessWithoutNullStreams;
  /** The last 16 KiB the server wrote on stderr. */
  stderr(): string;
  send(message: unknown): void;
}

export async function startSandboxedServer(options: SandboxedServerOptions): Promise<SandboxedServer> {
  const command = await options.sandbox.confine({
    file: process.execPath,
    args: ['--input-type=module', '-e', options.source, ...options.args],
    workspaceDir: options.workspaceDir,
    env: options.env,
    ...(options.writableDirs ? { writableDirs: options.writableDirs } : {}),
    ...(options.scratchDirs ? { scratchDirs: options.scratchDirs } : {}),
  });
  const child = spawn(command.file, command.args, {
    cwd: options.workspaceDir,
    env: command.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
    ...(command.uid !== undefined ? { uid: command.uid } : {}),
    ...(command.gid !== undefined ? { gid: command.gid } : {}),
  });
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof message === 'object' && message !== null) options.onMessage(message as Record<string, unknown>);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-16_384)));
  child.on('error', options.onGone);
  child.on('exit', options.onGone);
  child.stdin.on('error', options.onGone);
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  return {
    child,
    stderr: () => stderr,
    send: (message) => void child.stdin.write(`${JSON.stringify(message)}\n`),
  };
}
