import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAppResponse, Run, RunEvent, RunEventBody, RunStatus, WorkspaceSummary } from '@hangar/protocol';
import { startLocalHost, type LocalHost } from '../../functions/src/entrypoints/local-host';
import { repoRoot } from '../paths';
import { apiSession, sharedDependencyCache } from './harness';

const hugeBytes = 50 * 1024 * 1024;

/** The real local host with the builder on, scripted model turns, and every log line kept. */
async function startHost(dataDir: string, scriptFile: string, lines: string[], port = 0): Promise<LocalHost> {
  return startLocalHost({
    port,
    dataDir,
    log: (line) => lines.push(line),
    builder: {
      repoRoot,
      templateDir: join(repoRoot, 'template'),
      workerEntry: join(repoRoot, 'worker-container', 'src', 'main.ts'),
      env: { HANGAR_DEPENDENCY_CACHE_DIR: sharedDependencyCache, HANGAR_MODEL_PROVIDER: 'scripted', HANGAR_SCRIPTED_TURNS: scriptFile },
    },
  });
}

/** Polls a condition (bounded) until it holds; the condition reads state, never the clock. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, attempts = 1200): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

const shown = (event: RunEventBody) => (event.type === 'text.delta' ? `text: ${event.text}` : event.type);

/**
 * The real worker process against the real local host: the host restarts in the middle of a run
 * (same port, same data directory) and the run carries on, every event stored once and in order;
 * and a 50 MB tool call from the model is shortened in the run stream instead of breaking it.
 */
describe('worker resilience: real worker, real host', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const setUp = async (script: Record<string, unknown[]>) => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-resilience-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const scriptFile = join(dir, 'script.json');
    writeFileSync(scriptFile, JSON.stringify(script));
    const lines: string[] = [];
    const dataDir = join(dir, 'data');
    let host = await startHost(dataDir, scriptFile, lines);
    cleanups.push(() => host.close());
    const session = await apiSession(host.url, 'Ada', 'ada@example.com');
    const workspace = await session.call<WorkspaceSummary>('POST', '/api/workspaces', { name: 'Ops' });
    const events = async (runId: string): Promise<RunEvent[]> =>
      (await session.call<{ items: RunEvent[] }>('GET', `/api/workspaces/${workspace.id}/runs/${runId}/events`)).items;
    const runIn = (runId: string, statuses: RunStatus[]) =>
      until(`run ${runId} ${statuses.join('/')}`, async () => {
        const run = await session.call<Run>('GET', `/api/workspaces/${workspace.id}/runs/${runId}`);
        return statuses.includes(run.status) ? run : undefined;
      });
    const restart = async () => {
      const port = host.port;
      await host.close();
      return async () => {
        host = await startHost(dataDir, scriptFile, lines, port);
      };
    };
    return { dir, lines, session, workspace, events, runIn, restart, host: () => host };
  };

  it('survives a control-plane restart mid-run: no event lost, none stored twice, the run succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-sentinel-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sentinel = join(dir, 'host-is-down');
    const test = await setUp({
      'Survive a restart': [
        { tools: [{ name: 'list_files', input: {} }] },
        { waitForFile: sentinel, text: 'Still here while the control plane restarts.', tools: [{ name: 'list_files', input: {} }] },
        { text: 'All done.' },
      ],
    });
    const { run } = await test.session.call<CreateAppResponse>('POST', `/api/workspaces/${test.workspace.id}/apps`, {
      prompt: 'Survive a restart',
    });
    // The worker finished its first turn and now "thinks" until the sentinel exists.
    await until('the first tool call', async () =>
      (await test.events(run.id)).some((e) => e.event.type === 'tool.finished') ? true : undefined,
    );
    const worker = test.host().launcher?.detach(run.id);
    expect(worker).toBeTruthy();
    cleanups.push(() => void worker?.kill());

    const bringBack = await test.restart();
    test.lines.length = 0;
    writeFileSync(sentinel, 'now');
    // The worker produces events while nobody answers, and says it is retrying.
    await until('the worker retrying', () => (test.lines.some((line) => /did not answer .* Retrying/.test(line)) ? true : undefined));
    await bringBack();

    const done = await test.runIn(run.id, ['succeeded', 'failed', 'stopped']);
    expect(done.failureReason).toBeNull();
    expect(done.status).toBe('succeeded');
    const stored = await test.events(run.id);
    // A model call cut by the restart is retried through the gateway, and says so (`model.retrying`).
    const retries = stored.filter((event) => event.event.type === 'model.retrying');
    expect(retries.length).toBeLessThanOrEqual(6);
    expect(stored.filter((event) => event.event.type !== 'model.retrying').map((event) => shown(event.event))).toEqual([
      'message.user',
      'run.queued',
      'run.started',
      'tool.started',
      'tool.finished',
      'text: Still here while the control plane restarts.',
      'tool.started',
      'tool.finished',
      'text: All done.',
      'usage',
      'run.succeeded',
    ]);
    expect(new Set(stored.map((event) => event.id)).size).toBe(stored.length);
    expect(await worker?.exited).toBe(0);
  }, 240_000);

  it('shortens a 50 MB tool call in the run stream with a marker; the refusal of the oversized input stays visible and the run ends normally', async () => {
    const test = await setUp({
      'Write a huge file': [
        { tools: [{ name: 'write_file', input: { path: 'src/huge.txt', content: 'x'.repeat(hugeBytes) } }] },
        { text: 'That file is too large to write, so I left it out.' },
      ],
    });
    const { run } = await test.session.call<CreateAppResponse>('POST', `/api/workspaces/${test.workspace.id}/apps`, {
      prompt: 'Write a huge file',
    });
    const done = await test.runIn(run.id, ['succeeded', 'failed', 'stopped']);
    expect(done.failureReason).toBeNull();
    expect(done.status).toBe('succeeded');
    const stored = (await test.events(run.id)).map((event) => event.event);
    expect(stored.map(shown)).toEqual([
      'message.user',
      'run.queued',
      'run.started',
      'tool.started',
      'tool.finished',
      'text: That file is too large to write, so I left it out.',
      'usage',
      'run.succeeded',
    ]);
    const started = stored[3];
    const input = started?.type === 'tool.started' ? started.input : null;
    expect(input).toMatchObject({ path: 'src/huge.txt' });
    const content = input && typeof input === 'object' && 'content' in input ? String(input.content) : '';
    expect(content).toMatch(new RegExp(`truncated by the worker: ${hugeBytes} characters in all\\]$`));
    expect(content.length).toBeLessThan(300_000);
    const finished = stored[4];
    expect(finished?.type === 'tool.finished' && finished.ok).toBe(false);
    // The agent loop refuses a tool input over 1 MB before running it, and says why (the model sees the same).
    expect(finished?.type === 'tool.finished' && finished.output).toMatch(/The input of this write_file call was/);
  }, 240_000);
});
