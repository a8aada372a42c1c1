import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CreateAppResponse, Run, RunEvent, RunStatus, ServerMessage, WorkspaceSummary } from '@hangar/protocol';
import { apiSession, startTestHost, type TestHost } from './harness';

const broken = `export function App() {\n  const count: number = 'three';\n  return <main className="p-8 text-lg">Parcels: {count}</main>;\n}\n`;
const script = {
  'A tracker for parcels': [
    { tools: [{ name: 'present_plan', input: { title: 'Parcels', summary: 'Track parcels.', steps: ['A list of parcels'] } }] },
    {
      text: 'Writing the app.',
      tools: [
        { name: 'write_file', input: { path: 'src/App.tsx', content: broken } },
        { name: 'done_building', input: {} },
      ],
    },
    {
      tools: [
        {
          name: 'edit_file',
          input: { path: 'src/App.tsx', oldString: "const count: number = 'three';", newString: 'const count: number = 3;' },
        },
        { name: 'done_building', input: {} },
      ],
    },
    { text: 'Your parcel tracker is ready.' },
  ],
  'Think about it for a long time': [{ tools: [{ name: 'list_files', input: {} }] }, { hang: true }],
  'Wait for me': [{ tools: [{ name: 'list_files', input: {} }] }, { hang: true }],
  'Show me the app file': [{ tools: [{ name: 'read_file', input: { path: 'src/App.tsx' } }] }, { text: 'Here it is.' }],
};

/**
 * The real worker as a child process of the real local host, driven by a scripted model:
 * real file tools, a real failing then passing tsc + vite build, snapshots, a killed worker,
 * and a workspace restored from the latest snapshot.
 */
describe('builder: real worker process, real builds', () => {
  let test: TestHost;
  let scriptDir: string;
  let session: Awaited<ReturnType<typeof apiSession>>;
  let cookie = '';
  let workspace: WorkspaceSummary;
  let host: TestHost['host'];
  let dataDir: string;

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => session.call<T>(method, path, body);
  /** Waits (bounded) until the run reaches one of the statuses. */
  const waitFor = async (runId: string, statuses: RunStatus[]): Promise<Run> => {
    for (let attempt = 0; attempt < 900; attempt++) {
      const run = await api<Run>('GET', `/api/workspaces/${workspace.id}/runs/${runId}`);
      if (statuses.includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} never reached ${statuses.join('/')}`);
  };
  const events = async (runId: string) =>
    (await api<{ items: RunEvent[] }>('GET', `/api/workspaces/${workspace.id}/runs/${runId}/events`)).items.map((item) => item.event);

  beforeAll(async () => {
    scriptDir = mkdtempSync(join(tmpdir(), 'hangar-worker-script-'));
    const scriptFile = join(scriptDir, 'script.json');
    writeFileSync(scriptFile, JSON.stringify(script));
    test = await startTestHost({ builderEnv: { HANGAR_MODEL_PROVIDER: 'scripted', HANGAR_SCRIPTED_TURNS: scriptFile } });
    host = test.host;
    dataDir = test.dataDir;
    session = await apiSession(host.url, 'Ada', 'ada@example.com');
    cookie = session.cookie;
    workspace = await api<WorkspaceSummary>('POST', '/api/workspaces', { name: 'Ops' });
  }, 60_000);
  afterAll(async () => {
    await test?.close();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  it('plans, fails a build, fixes it, builds for real and records a version; a killed worker fails its run; the next run restores the workspace', async () => {
    const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A tracker for parcels' });
    await waitFor(run.id, ['awaiting_approval']);
    await api('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/plan`, { decision: 'accept' });
    const done = await waitFor(run.id, ['succeeded', 'failed', 'stopped']);
    expect(done.failureReason).toBeNull();
    expect(done.status).toBe('succeeded');
    const first = await events(run.id);
    const builds = first.filter((event) => event.type === 'build.finished');
    expect(builds.map((event) => event.ok)).toEqual([false, true]);
    expect(builds[0]?.type === 'build.finished' && builds[0].typecheckErrors).toMatch(/TS2322/);
    expect(first.some((event) => event.type === 'version.created')).toBe(true);
    const workspaceDir = join(dataDir, 'workspaces', app.id);
    expect(readFileSync(join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toContain('const count: number = 3;');

    // A worker killed mid-run: the run fails at once, with the reason.
    const slow = await api<Run>('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/messages`, {
      text: 'Think about it for a long time',
    });
    for (let attempt = 0; attempt < 300 && !(await events(slow.id)).some((event) => event.type === 'tool.finished'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(host.launcher?.kill(slow.id)).toBe(true);
    const killed = await waitFor(slow.id, ['failed']);
    expect(killed.failureReason).toMatch(/ended unexpectedly/);

    // The workspace is lost (a new machine); the next run restores it from the latest snapshot.
    rmSync(workspaceDir, { recursive: true, force: true });
    const next = await api<Run>('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/messages`, { text: 'Show me the app file' });
    expect((await waitFor(next.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    const read = (await events(next.id)).find((event) => event.type === 'tool.finished' && event.name === 'read_file');
    expect(read?.type === 'tool.finished' && read.output).toContain('const count: number = 3;');
    expect(existsSync(join(workspaceDir, 'src', 'App.tsx'))).toBe(true);
  }, 240_000);

  it('streams a run over the WebSocket, resumes after the last event id without duplicates, refuses strangers, and stops a live worker', async () => {
    const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'Wait for me' });
    await waitFor(run.id, ['running']);
    for (let attempt = 0; attempt < 300 && !(await events(run.id)).some((event) => event.type === 'tool.finished'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const wsUrl = `${host.url.replace('http', 'ws')}/ws`;
    const open = (headers: Record<string, string>) =>
      new Promise<{ socket: WebSocket; messages: ServerMessage[] }>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, { headers });
        const messages: ServerMessage[] = [];
        socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as ServerMessage));
        socket.once('open', () => resolve({ socket, messages }));
        socket.once('error', reject);
      });
    const until = async (check: () => boolean) => {
      for (let attempt = 0; attempt < 300 && !check(); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const runEvents = (messages: ServerMessage[]) => messages.flatMap((message) => (message.type === 'run.event' ? [message.event] : []));

    const backlog = (await events(run.id)).length;
    const first = await open({ cookie, origin: host.url });
    first.socket.send(JSON.stringify({ type: 'run.subscribe', workspaceId: workspace.id, runId: run.id }));
    await until(() => runEvents(first.messages).length >= backlog);
    const seen = runEvents(first.messages);
    expect(seen.map((event) => event.event.type).slice(0, 2)).toEqual(['message.user', 'run.queued']);
    first.socket.close();

    // A reload: resume after the last id seen; then stop the run and receive only what is new.
    const second = await open({ cookie, origin: host.url });
    second.socket.send(JSON.stringify({ type: 'run.subscribe', workspaceId: workspace.id, runId: run.id, after: seen.at(-1)?.id }));
    await until(() => second.messages.some((message) => message.type === 'run.subscribed'));
    const stopped = await api<Run>('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/stop`);
    expect(stopped.status).toBe('stopped');
    await until(() => runEvents(second.messages).some((event) => event.event.type === 'run.stopped'));
    const resumed = runEvents(second.messages);
    expect(resumed.map((event) => event.event.type)).toEqual(['run.stopped']);
    expect(new Set([...seen, ...resumed].map((event) => event.id)).size).toBe(seen.length + resumed.length);
    second.socket.close();
    await until(() => !(host.launcher?.running() ?? []).includes(run.id));
    expect(host.launcher?.running()).not.toContain(run.id);

    // Someone outside the workspace cannot subscribe, and learns nothing.
    const strangerCookie = (await apiSession(host.url, 'Eve', 'eve@example.com')).cookie;
    const third = await open({ cookie: strangerCookie, origin: host.url });
    third.socket.send(JSON.stringify({ type: 'run.subscribe', workspaceId: workspace.id, runId: run.id }));
    await until(() => third.messages.length > 0);
    expect(third.messages[0]).toMatchObject({ type: 'session.error', code: 'not_found' });
    third.socket.close();
    expect(app.id).toMatch(/^app_/);
  }, 120_000);
});
