import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command';

/** A Node process that ignores SIGTERM and would otherwise run for a minute. */
const stubborn = [
  '-e',
  "process.on('SIGTERM', () => console.log('ignored SIGTERM')); setTimeout(() => undefined, 60_000); console.log('up ' + process.pid);",
];
/** Whether a process with this id still exists. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('runCommand', () => {
  it('reports output and exit code, and never rejects on a failing or missing program', async () => {
    const ok = await runCommand(process.execPath, ['-e', "console.log('out'); console.error('err')"], {
      cwd: process.cwd(),
      timeoutMs: 30_000,
    });
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'out\n', stderr: 'err\n', timedOut: false, aborted: false });
    const failed = await runCommand(process.execPath, ['-e', 'process.exit(3)'], { cwd: process.cwd(), timeoutMs: 30_000 });
    expect(failed).toMatchObject({ exitCode: 3, timedOut: false });
    const missing = await runCommand('hangar-no-such-program', [], { cwd: process.cwd(), timeoutMs: 30_000 });
    expect(missing).toMatchObject({ exitCode: null, timedOut: false });
    expect(missing.startError).toMatch(/^ENOENT/);
  });

  it('kills a process that ignores SIGTERM after its timeout, once the grace period is over', async () => {
    const outcome = await runCommand(process.execPath, stubborn, { cwd: process.cwd(), timeoutMs: 500, killGraceMs: 200 });
    expect(outcome).toMatchObject({ exitCode: null, timedOut: true, aborted: false });
    expect(alive(Number(/^up (\d+)/.exec(outcome.stdout)?.[1]))).toBe(false);
  });

  it('kills a process that ignores SIGTERM after an abort, once the grace period is over', async () => {
    const controller = new AbortController();
    const running = runCommand(process.execPath, stubborn, {
      cwd: process.cwd(),
      timeoutMs: 60_000,
      killGraceMs: 200,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    // The outcome comes once the process is gone, not when the abort is sent.
    const pid = Number(/^up (\d+)/.exec(outcome.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('reports a signal aborted before the call as aborted, with the process gone', async () => {
    const outcome = await runCommand(process.execPath, stubborn, {
      cwd: process.cwd(),
      timeoutMs: 60_000,
      killGraceMs: 200,
      signal: AbortSignal.abort(),
    });
    expect(outcome).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
  });
});
