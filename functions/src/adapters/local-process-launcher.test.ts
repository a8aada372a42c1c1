import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalProcessLauncher, withoutModelSettings } from './local-process-launcher';

describe('local process launcher', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the worker with no model key or model setting in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-launcher-'));
    dirs.push(dir);
    const entry = join(dir, 'print-env.mjs');
    writeFileSync(entry, 'console.log("ENV " + JSON.stringify(process.env));\n');
    const lines: string[] = [];
    let exited!: () => void;
    const exit = new Promise<void>((resolve) => (exited = resolve));
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-host-secret';
    try {
      const launcher = createLocalProcessLauncher({
        workerEntry: entry,
        cwd: process.cwd(),
        env: { HANGAR_MODEL_PROVIDER: 'anthropic', HANGAR_OPENAI_API_KEY: 'sk-openai', HANGAR_WORKSPACES_DIR: dir },
        onExit: () => exited(),
        log: (line) => lines.push(line),
      });
      await launcher.launch({
        runId: 'run_1',
        appId: 'app_1',
        workspaceId: 'wsp_1',
        runToken: 'token',
        controlPlaneUrl: 'http://127.0.0.1:1',
      });
      await exit;
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
    const printed = lines.find((line) => line.startsWith('ENV '));
    const env = JSON.parse(printed?.slice(4) ?? '{}') as Record<string, string>;
    expect(env).toMatchObject({ HANGAR_RUN_ID: 'run_1', HANGAR_RUN_TOKEN: 'token', HANGAR_WORKSPACES_DIR: dir });
    for (const name of ['ANTHROPIC_API_KEY', 'HANGAR_MODEL_PROVIDER', 'HANGAR_OPENAI_API_KEY']) expect(env).not.toHaveProperty(name);
  });

  describe('with a standby worker', () => {
    /**
     * A worker that prints its environment (and, as a standby, says it is ready and prints the
     * line it is assigned); its run ends 200 ms after it starts.
     */
    const fakeWorker = `
      const env = process.env;
      console.log('ENV ' + JSON.stringify({ pid: process.pid, standby: env.HANGAR_WORKER_STANDBY ?? null, runId: env.HANGAR_RUN_ID ?? null, token: env.HANGAR_RUN_TOKEN ?? null, key: env.ANTHROPIC_API_KEY ?? null }));
      const work = (runId) => { console.log('RUN ' + process.pid + ' ' + runId); setTimeout(() => process.exit(0), 200); };
      if (env.HANGAR_WORKER_STANDBY === '1') {
        console.log('[standby] ready');
        let text = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', (chunk) => { text += chunk; });
        process.stdin.on('end', () => { console.log('ASSIGNED ' + text.trim()); work(JSON.parse(text).runId); });
      } else work(env.HANGAR_RUN_ID);
    `;
    /** The fake worker written to a fresh directory (removed after the test). */
    const fakeWorkerEntry = () => {
      const dir = mkdtempSync(join(tmpdir(), 'hangar-launcher-'));
      dirs.push(dir);
      const entry = join(dir, 'worker.mjs');
      writeFileSync(entry, fakeWorker);
      return entry;
    };
    /** A launcher that keeps a standby of `entry`, its log lines into `lines`. */
    const standbyLauncher = (entry: string, lines: string[]) =>
      createLocalProcessLauncher({ workerEntry: entry, cwd: process.cwd(), env: {}, standby: true, log: (line) => lines.push(line) });
    /** Runs `body` with a fresh standby launcher once its first standby is ready; stops it after. */
    const withStandby = async (body: (launcher: ReturnType<typeof standbyLauncher>, lines: string[]) => Promise<void>) => {
      const lines: string[] = [];
      const launcher = standbyLauncher(fakeWorkerEntry(), lines);
      try {
        await launcher.standbyReady();
        await body(launcher, lines);
      } finally {
        await launcher.stopAll();
      }
    };
    const spec = (runId: string, newApp: boolean) => ({
      runId,
      appId: `app_${runId}`,
      workspaceId: 'wsp_1',
      runToken: `token-${runId}`,
      controlPlaneUrl: 'http://127.0.0.1:1',
      newApp,
    });
    const started = (lines: string[]) =>
      lines.filter((line) => line.startsWith('ENV ')).map((line) => JSON.parse(line.slice(4)) as Record<string, string | number | null>);
    const until = async (condition: () => boolean) => {
      for (let attempt = 0; attempt < 400 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(condition()).toBe(true);
    };

    it("is started ahead without the run's variables, handed a new app's run on stdin, and replaced once no run works", async () => {
      const entry = fakeWorkerEntry();
      const lines: string[] = [];
      const exits: string[] = [];
      const previous = { key: process.env.ANTHROPIC_API_KEY, standby: process.env.HANGAR_WORKER_STANDBY };
      process.env.ANTHROPIC_API_KEY = 'sk-ant-host-secret';
      // A host started with the variable set does not make every worker a standby.
      process.env.HANGAR_WORKER_STANDBY = '1';
      const launcher = standbyLauncher(entry, lines);
      launcher.onWorkerExit?.((runId, detail) => exits.push(`${runId} ${detail}`));
      try {
        await launcher.standbyReady();
        const [standby] = started(lines);
        expect(standby).toMatchObject({ standby: '1', runId: null, token: null, key: null });

        // An existing app's run starts its own process; the standby keeps waiting.
        await launcher.launch(spec('run_old', false));
        await until(() => lines.some((line) => line.startsWith('RUN ') && line.endsWith(' run_old')));
        const own = started(lines)[1];
        expect(own).toMatchObject({ standby: null, runId: 'run_old', token: 'token-run_old', key: null });
        expect(own?.pid).not.toBe(standby?.pid);

        // A new app's run is handed to the standby: no new process, the assignment on its stdin.
        await launcher.launch(spec('run_new', true));
        await until(() => lines.some((line) => line.startsWith('ASSIGNED ')));
        expect(JSON.parse(lines.find((line) => line.startsWith('ASSIGNED '))?.slice(9) ?? '{}')).toEqual({
          runId: 'run_new',
          runToken: 'token-run_new',
          controlPlaneUrl: 'http://127.0.0.1:1',
        });
        expect(lines).toContain(`RUN ${standby?.pid} run_new`);
        expect(launcher.running()).toContain('run_new');

        // Both runs end; only then does the next standby start (its warm-up would take their CPU).
        await until(() => exits.length === 2);
        expect(exits.sort()).toEqual(['run_new exit code 0', 'run_old exit code 0']);
        await until(() => started(lines).length === 3);
        expect(started(lines)[2]).toMatchObject({ standby: '1', runId: null });
        await launcher.standbyReady();
        const next = started(lines)[2]?.pid as number;

        // Stopping the launcher stops the idle standby too.
        await launcher.stopAll();
        expect(() => process.kill(next, 0)).toThrow();
        expect(exits).toHaveLength(2);
      } finally {
        await launcher.stopAll();
        if (previous.key === undefined) delete process.env.ANTHROPIC_API_KEY;
        else process.env.ANTHROPIC_API_KEY = previous.key;
        if (previous.standby === undefined) delete process.env.HANGAR_WORKER_STANDBY;
        else process.env.HANGAR_WORKER_STANDBY = previous.standby;
      }
    });

    it('asked while the standby works a run, waits for the next standby rather than answering at once', () =>
      withStandby(async (launcher, lines) => {
        await launcher.launch(spec('run_new', true));
        // The run still works (its worker exits 200 ms after the assignment): no standby is kept now.
        await launcher.standbyReady();
        const standbys = started(lines).filter((env) => env.standby === '1');
        expect(standbys).toHaveLength(2);
        expect(launcher.running()).toEqual([]);
        expect(lines.filter((line) => line === '[standby] ready')).toHaveLength(2);
      }));

    it('stopping releases a caller waiting for the next standby, and starts none', () =>
      withStandby(async (launcher, lines) => {
        await launcher.launch(spec('run_new', true));
        const waiting = launcher.standbyReady();
        await launcher.stopAll();
        await waiting;
        // Stopped, the launcher starts no further standby.
        expect(started(lines).filter((env) => env.standby === '1')).toHaveLength(1);
      }));

    it("starts a new app's run in its own process when the standby is gone", () =>
      withStandby(async (launcher, lines) => {
        const standbyPid = started(lines)[0]?.pid as number;
        process.kill(standbyPid, 'SIGKILL');
        await until(() => {
          try {
            process.kill(standbyPid, 0);
            return false;
          } catch {
            return true;
          }
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        // No run works and the standby is gone: none is coming, so a caller is not kept waiting.
        await launcher.standbyReady();
        await launcher.launch(spec('run_new', true));
        await until(() => lines.some((line) => line.startsWith('RUN ') && line.endsWith(' run_new')));
        expect(started(lines)[1]).toMatchObject({ standby: null, runId: 'run_new', token: 'token-run_new' });
      }));
  });

  it('keeps AWS_REGION, which is not a secret', () => {
    expect(withoutModelSettings({ AWS_REGION: 'eu-west-1', ANTHROPIC_BASE_URL: 'http://x', PATH: '/bin' })).toEqual({
      AWS_REGION: 'eu-west-1',
      PATH: '/bin',
    });
  });
});
