import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PutBlobResponse, RecordVersionResponse } from '@hangar/protocol';
import type { App, AppVersion, CreateAppResponse, PreviewLink, Run, RunEvent, VersionDiff, WorkspaceSummary } from '@hangar/protocol';
import type { RunLauncher, RunSpec } from '../ports/run-launcher';
import { createTestApp, testOrigin, type TestClient } from './testing';

/** A launcher that records specs; the test plays the worker through the internal API. */
class FakeLauncher implements RunLauncher {
  readonly kind = 'fake';
  readonly launched: RunSpec[] = [];
  readonly stopped: string[] = [];
  launch(spec: RunSpec) {
    this.launched.push(spec);
    return Promise.resolve();
  }
  stop(runId: string) {
    this.stopped.push(runId);
    return Promise.resolve();
  }
}

const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

describe('builder control plane', () => {
  let blobDir: string;
  let launcher: FakeLauncher;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let workspace: WorkspaceSummary;
  let now = Date.parse('2026-11-24T12:00:00Z');

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-builder-'));
    launcher = new FakeLauncher();
    now = Date.parse('2026-11-24T12:00:00Z');
    test = await createTestApp({ builder: { launcher, blobDir, clock: { now: () => new Date(now) } } });
    owner = await test.signIn('Olive', 'olive@example.com');
    workspace = await json<WorkspaceSummary>(owner.request('POST', '/api/workspaces', { name: 'Ops' }));
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  /** The worker's side: the internal API with the run token from the launch spec. */
  const worker = (spec: RunSpec) => (method: string, path: string, body?: unknown, raw?: Uint8Array) =>
    Promise.resolve(
      test.app.request(`${testOrigin}/internal/runs/${spec.runId}${path}`, {
        method,
        headers: { authorization: `Bearer ${spec.runToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(raw ? { body: raw } : {}),
      }),
    );

  async function uploadAndRecord(call: ReturnType<typeof worker>, files: Record<string, string>): Promise<AppVersion> {
    const manifest = [];
    for (const [path, text] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(text);
      const put = PutBlobResponse.parse(await (await call('PUT', '/blobs', undefined, bytes)).json());
      expect(put.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      manifest.push({ path, sha256: put.sha256, size: bytes.byteLength });
    }
    const response = await call('POST', '/versions', { files: manifest });
    expect(response.status).toBe(201);
    return RecordVersionResponse.parse(await response.json());
  }

  it('runs a prompt end to end: queued, started, plan, events, version, succeeded; preview served sandboxed', async () => {
    const created = await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, {
      prompt: 'A tracker for customer leads with name and email',
    });
    expect(created.status).toBe(201);
    const { app, run } = (await created.json()) as CreateAppResponse;
    expect(app.name).toBe('Tracker for customer leads');
    expect(run.status).toBe('queued');
    expect(launcher.launched.map((spec) => spec.runId)).toEqual([run.id]);
    const call = worker(launcher.launched[0] as RunSpec);

    expect((await call('POST', '/started', { workerId: 'w1', provider: 'scripted', model: 'test' })).status).toBe(204);
    expect((await call('POST', '/plan', { plan: { title: 'Leads', summary: 'A tracker', steps: ['List', 'Form'] } })).status).toBe(204);
    expect((await json<Run>(owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`))).status).toBe('awaiting_approval');
    const decided = await owner.request('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/plan`, {
      decision: 'amend',
      note: 'add a priority field',
    });
    expect((await decided.json()) as Run).toMatchObject({ status: 'running' });

    expect((await call('POST', '/events', { events: [{ type: 'text.delta', text: 'Building…' }] })).status).toBe(200);
    const version = await uploadAndRecord(call, {
      'src/App.tsx': 'export default 1;\n',
      'dist/index.html': '<!doctype html><div id="root"></div>',
    });
    expect(version.number).toBe(1);
    expect((await call('POST', '/rename', { name: 'Lead Desk' })).status).toBe(204);
    expect(
      (
        await call('POST', '/finish', {
          status: 'succeeded',
          summary: 'Ready.',
          usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 },
        })
      ).status,
    ).toBe(204);

    const finalApp = await json<App>(owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`));
    expect(finalApp).toMatchObject({ name: 'Lead Desk', latestVersionId: version.id, latestRunStatus: 'succeeded' });
    const events = await json<{ items: RunEvent[] }>(owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}/events`));
    expect(events.items.map((event) => event.event.type)).toEqual([
      'message.user',
      'run.queued',
      'run.started',
      'plan.proposed',
      'plan.decided',
      'text.delta',
      'version.created',
      'usage',
      'run.succeeded',
    ]);

    const link = await json<PreviewLink>(
      owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}/versions/${version.id}/preview`),
    );
    const page = await test.app.request(`${testOrigin}${link.url}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('sandbox allow-scripts allow-forms allow-modals');
    expect(csp).not.toContain('allow-same-origin');
    expect(csp).toContain("connect-src 'none'");
    expect((await test.app.request(`${testOrigin}${link.url}../../etc/passwd`)).status).toBe(404);
    expect((await test.app.request(`${testOrigin}/preview/forged.token/`)).status).toBe(403);
    expect((await test.app.request(`${testOrigin}${link.url}assets/%E0%A4%A.js`)).status).toBe(404);
    // A malformed resume position is the client's mistake: 400, for people and for workers.
    for (const after of ['garbage', '1-2-3', 'x'.repeat(60)]) {
      expect((await owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}/events?after=${after}`)).status).toBe(400);
      expect((await call('GET', `/events?after=${after}`)).status).toBe(400);
    }
    // Source files are not served to the preview, only dist/.
    expect((await test.app.request(`${testOrigin}${link.url}src/App.tsx`)).status).toBe(404);
  });

  it('refuses a second run while one is active; stop, retry and versions diff/restore work', async () => {
    const { app, run } = await json<CreateAppResponse>(
      owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A list of tasks' }),
    );
    expect(
      (await owner.request('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/messages`, { text: 'add a field due date' })).status,
    ).toBe(409);
    const stopped = await json<Run>(owner.request('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/stop`));
    expect(stopped.status).toBe('stopped');
    expect(launcher.stopped).toEqual([run.id]);
    expect((await owner.request('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/stop`)).status).toBe(409);
    // The stopped worker can no longer write.
    expect(
      (await worker(launcher.launched[0] as RunSpec)('POST', '/events', { events: [{ type: 'text.delta', text: 'late' }] })).status,
    ).toBe(409);

    const retried = await json<Run>(owner.request('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/retry`));
    expect(retried).toMatchObject({ status: 'queued', retryOf: run.id, prompt: 'A list of tasks' });
    const call = worker(launcher.launched[1] as RunSpec);
    await call('POST', '/started', { workerId: 'w2', provider: 'scripted', model: 'test' });
    // A new app's run records no version before a person decided on its plan.
    const blob = await json<{ sha256: string }>(call('PUT', '/blobs', undefined, new TextEncoder().encode('x')));
    const early = await call('POST', '/versions', { files: [{ path: 'src/App.tsx', sha256: blob.sha256, size: 1 }] });
    expect(early.status).toBe(409);
    expect(await early.text()).toMatch(/plan was never accepted/);
    expect((await json<App>(owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`))).latestVersionId).toBeNull();
    await call('POST', '/plan', { plan: { title: 'Tasks', summary: 'A task list', steps: ['List'] } });
    await owner.request('POST', `/api/workspaces/${workspace.id}/runs/${retried.id}/plan`, { decision: 'accept' });
    expect((await call('POST', '/rename', { name: 'Task List' })).status).toBe(204);
    const v1 = await uploadAndRecord(call, { 'src/App.tsx': 'a\nb\nc\n', 'src/keep.ts': 'same\n', 'dist/index.html': '<p>1</p>' });
    expect((await call('POST', '/rename', { name: 'Task Board' })).status).toBe(204);
    const v2 = await uploadAndRecord(call, {
      'src/App.tsx': 'a\nB\nc\n',
      'src/keep.ts': 'same\n',
      'src/new.ts': 'new\n',
      'dist/index.html': '<p>2</p>',
    });
    await call('POST', '/finish', { status: 'succeeded', summary: 'ok', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 } });

    const diff = await json<VersionDiff>(
      owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}/versions/${v2.id}/diff?from=${v1.id}`),
    );
    expect(diff.files.map((file) => [file.path, file.change])).toEqual([
      ['dist/index.html', 'modified'],
      ['src/App.tsx', 'modified'],
      ['src/new.ts', 'added'],
    ]);
    expect(diff.files.find((file) => file.path === 'src/App.tsx')?.diff).toContain('-b\n+B');

    const restored = await owner.request('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/versions/${v1.id}/restore`);
    expect(restored.status).toBe(201);
    const v3 = (await restored.json()) as AppVersion;
    expect(v3).toMatchObject({ number: 3, restoredFrom: v1.id });
    const file = await json<{ text: string }>(
      owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}/versions/${v3.id}/file?path=src/App.tsx`),
    );
    expect(file.text).toBe('a\nb\nc\n');
    // The restored files were built as "Task List": the app takes that name back, so the console header agrees.
    expect(await json<App>(owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`))).toMatchObject({
      latestVersionId: v3.id,
      name: 'Task List',
    });
  });

  it('fails a run whose worker stops sending heartbeats, with a reason', async () => {
    const { run } = await json<CreateAppResponse>(
      owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A list of tasks' }),
    );
    await worker(launcher.launched[0] as RunSpec)('POST', '/started', { workerId: 'w', provider: 'p', model: 'm' });
    now += 10_000;
    expect(await test.builder?.worker.sweepLostWorkers()).toEqual([]);
    now += 15_000;
    expect(await test.builder?.worker.sweepLostWorkers()).toEqual([run.id]);
    const failed = await json<Run>(owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`));
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/no heartbeat/);
  });

  it('gives a queued run the start allowance (a Fargate task starting) before failing it, but a started run only the heartbeat timeout', async () => {
    const { run: queued } = await json<CreateAppResponse>(
      owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A list of tasks' }),
    );
    const allowance = { startAllowanceMs: 180_000 };
    now += 90_000;
    expect(await test.builder?.worker.sweepLostWorkers(allowance)).toEqual([]);
    // A second run starts meanwhile and then goes quiet: 20 s is enough to fail it, allowance or not.
    const { run: started } = await json<CreateAppResponse>(
      owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A list of notes' }),
    );
    await worker(launcher.launched[1] as RunSpec)('POST', '/started', { workerId: 'w2', provider: 'p', model: 'm' });
    now += 25_000;
    expect(await test.builder?.worker.sweepLostWorkers(allowance)).toEqual([started.id]);
    now += 64_000;
    expect(await test.builder?.worker.sweepLostWorkers(allowance)).toEqual([]);
    now += 2_000;
    expect(await test.builder?.worker.sweepLostWorkers(allowance)).toEqual([queued.id]);
    const failed = await json<Run>(owner.request('GET', `/api/workspaces/${workspace.id}/runs/${queued.id}`));
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.failureReason).toMatch(/did not start within 180 s/);
  });

  it('without an allowance (the local host, whose workers start in seconds) a queued run gets the heartbeat timeout', async () => {
    const { run } = await json<CreateAppResponse>(owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'one' }));
    now += 15_000;
    expect(await test.builder?.worker.sweepLostWorkers()).toEqual([]);
    now += 10_000;
    expect(await test.builder?.worker.sweepLostWorkers()).toEqual([run.id]);
  });

  it('guards the internal API with a token for that run only, and validates what workers send', async () => {
    await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'one' });
    const other = await json<WorkspaceSummary>(owner.request('POST', '/api/workspaces', { name: 'Other' }));
    await owner.request('POST', `/api/workspaces/${other.id}/apps`, { prompt: 'two' });
    const [first, second] = launcher.launched as [RunSpec, RunSpec];
    const mixed = worker({ ...first, runToken: second.runToken });
    expect((await mixed('GET', '/context')).status).toBe(401);
    expect((await worker({ ...first, runToken: 'nope' })('GET', '/context')).status).toBe(401);
    const call = worker(first);
    expect((await call('GET', '/context')).status).toBe(200);
    await call('POST', '/started', { workerId: 'w', provider: 'p', model: 'm' });
    expect((await call('POST', '/events', { events: [{ type: 'made.up' }] })).status).toBe(400);
    expect((await call('POST', '/versions', { files: [{ path: 'a', sha256: '0'.repeat(64), size: 1 }] })).status).toBe(400);
    expect((await call('PUT', '/blobs', undefined, new Uint8Array(3 * 1024 * 1024))).status).toBe(413);
  });

  it('applies workspace permissions to apps: viewers cannot build, strangers get 404', async () => {
    const viewer = await test.signIn('Vic', 'vic@example.com');
    const stranger = await test.signIn('Sam', 'sam@example.com');
    await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'vic@example.com', role: 'viewer' });
    await test.services.signIn.signIn({ identity: viewer.me.identity, source: 'console' }, { emailVerified: true });
    const { app } = await json<CreateAppResponse>(owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'one' }));
    expect((await viewer.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'x' })).status).toBe(403);
    expect((await json<{ items: App[] }>(viewer.request('GET', `/api/workspaces/${workspace.id}/apps`))).items).toEqual([]);
    expect((await viewer.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`)).status).toBe(403);
    expect((await stranger.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`)).status).toBe(404);
    expect((await stranger.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'x' })).status).toBe(404);
    for (const body of ['{"prompt":', { prompt: '' }, { prompt: 'x', extra: 1 }, { prompt: 'x'.repeat(9000) }]) {
      const response = await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, body);
      expect(response.status).toBe(400);
    }
  });
});
