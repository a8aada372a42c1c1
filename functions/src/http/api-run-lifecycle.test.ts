import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AppendEventsResponse,
  ErrorBody,
  HeartbeatResponse,
  internalLimits,
  PutBlobResponse,
  ReadEventsResponse,
  pageOf,
  RecordVersionResponse,
  Run,
  RunContextResponse,
  RunEvent,
  type CreateAppResponse,
  type WorkspaceSummary,
} from '@hangar/protocol';
import type { RunSpec } from '../ports/run-launcher';
import { RecordingRunLauncher } from '../testing/recording-run-launcher';
import { createTestApp, testOrigin, type TestClient } from './testing';

const usage = { inputTokens: 3, outputTokens: 2, costUsd: 0 };

/** The run state machine and the worker wire, through the HTTP API. */
describe('run lifecycle over the API', () => {
  let blobDir: string;
  let launcher: RecordingRunLauncher;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let workspace: WorkspaceSummary;

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-lifecycle-'));
    launcher = new RecordingRunLauncher();
    test = await createTestApp({ builder: { launcher, blobDir } });
    owner = await test.signIn('Olive', 'olive@example.com');
    workspace = (await (await owner.request('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const worker = (spec: RunSpec) => (method: string, path: string, body?: unknown, raw?: Uint8Array) =>
    Promise.resolve(
      test.app.request(`${testOrigin}/internal/runs/${spec.runId}${path}`, {
        method,
        headers: { authorization: `Bearer ${spec.runToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(raw ? { body: raw } : {}),
      }),
    );
  const createApp = async (prompt: string) =>
    (await (await owner.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt })).json()) as CreateAppResponse;
  const runEvents = async (runId: string): Promise<RunEvent[]> =>
    pageOf(RunEvent).parse(await (await owner.request('GET', `/api/workspaces/${workspace.id}/runs/${runId}/events`)).json()).items;
  const decide = (runId: string) => owner.request('POST', `/api/workspaces/${workspace.id}/runs/${runId}/plan`, { decision: 'accept' });
  const expectConflict = async (response: Response) => {
    expect(response.status).toBe(409);
    expect(ErrorBody.parse(await response.json()).error.code).toBe('conflict');
  };

  it('answers 409 to a plan decision on a run that is not awaiting approval, and changes nothing', async () => {
    const { run } = await createApp('A list of tasks');
    const call = worker(launcher.launched[0] as RunSpec);
    // Queued: the worker has not even started (this used to start the run).
    await expectConflict(await decide(run.id));
    expect(Run.parse(await (await owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`)).json()).status).toBe('queued');
    expect((await call('POST', '/started', { workerId: 'w1', provider: 'p', model: 'm' })).status).toBe(204);
    await expectConflict(await decide(run.id));
    expect((await call('POST', '/plan', { plan: { title: 'T', summary: 'S', steps: [] } })).status).toBe(204);
    expect((await decide(run.id)).status).toBe(200);
    // Decided once; a second decision is stray.
    await expectConflict(await decide(run.id));
    expect((await call('POST', '/finish', { status: 'succeeded', summary: 'ok', usage })).status).toBe(204);
    await expectConflict(await decide(run.id));
    expect((await runEvents(run.id)).filter((event) => event.event.type === 'plan.decided')).toHaveLength(1);
  });

  it("answers a worker's long poll for events with the person's decision as soon as it is made", async () => {
    const { run } = await createApp('A list of tasks');
    const call = worker(launcher.launched[0] as RunSpec);
    await call('POST', '/started', { workerId: 'w1', provider: 'p', model: 'm' });
    expect((await call('POST', '/plan', { plan: { title: 'T', summary: 'S', steps: [] } })).status).toBe(204);
    const before = (await runEvents(run.id)).at(-1)?.id ?? '';
    // Nothing newer: a long poll answers an empty list once its wait is over.
    const empty = await call('GET', `/events?after=${before}&waitMs=50`);
    expect(ReadEventsResponse.parse(await empty.json()).items).toEqual([]);
    // A decision made while the worker waits ends the wait with it.
    let answered = false;
    const waiting = call('GET', `/events?after=${before}&waitMs=${internalLimits.maxEventsWaitMs}`).then(async (response) => {
      answered = true;
      return ReadEventsResponse.parse(await response.json()).items;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    expect((await decide(run.id)).status).toBe(200);
    expect((await waiting).map((event) => event.event.type)).toEqual(['plan.decided']);
    // Events already there are answered at once, and the wait is capped.
    const now = await call('GET', `/events?waitMs=${internalLimits.maxEventsWaitMs}`);
    expect(ReadEventsResponse.parse(await now.json()).items.length).toBeGreaterThan(3);
    for (const bad of [internalLimits.maxEventsWaitMs + 1, -1, 'soon'])
      expect((await call('GET', `/events?waitMs=${bad}`)).status).toBe(400);
  });

  it('starts one run when several messages reach one app at once', async () => {
    const { app, run } = await createApp('A list of tasks');
    await worker(launcher.launched[0] as RunSpec)('POST', '/started', { workerId: 'w1', provider: 'p', model: 'm' });
    await worker(launcher.launched[0] as RunSpec)('POST', '/finish', { status: 'succeeded', summary: 'ok', usage });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        owner.request('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/messages`, { text: `change ${index}` }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(launcher.launched.map((spec) => spec.appId)).toEqual([app.id, app.id]);
    const runs = (await (await owner.request('GET', `/api/workspaces/${workspace.id}/apps/${app.id}/runs`)).json()) as { items: Run[] };
    expect(runs.items.map((item) => item.status)).toEqual(['succeeded', 'queued']);
    expect(runs.items[0]?.id).toBe(run.id);
  });

  it('makes every worker call safe to resend: events are stored once per sequence number', async () => {
    const { run } = await createApp('A list of tasks');
    const call = worker(launcher.launched[0] as RunSpec);
    expect(RunContextResponse.parse(await (await call('GET', '/context')).json())).toMatchObject({ runId: run.id, latestVersion: null });
    for (let attempt = 0; attempt < 2; attempt++)
      expect((await call('POST', '/started', { workerId: 'w1', provider: 'p', model: 'm' })).status).toBe(204);
    // Another worker claiming the same run is refused.
    await expectConflict(await call('POST', '/started', { workerId: 'w2', provider: 'p', model: 'm' }));
    expect(HeartbeatResponse.parse(await (await call('POST', '/heartbeat')).json())).toEqual({ continue: true, status: 'running' });

    const text = (value: string) => ({ type: 'text.delta', text: value });
    const send = async (first: number, values: string[]) =>
      AppendEventsResponse.parse(await (await call('POST', '/events', { first, events: values.map(text) })).json());
    expect(await send(0, ['a', 'b'])).toMatchObject({ received: 2 });
    // The same batch again (its answer was lost): nothing new.
    expect(await send(0, ['a', 'b'])).toEqual({ ids: [], received: 2 });
    // A resend that overlaps: only the new tail is stored.
    const overlap = await send(1, ['b', 'c', 'd']);
    expect(overlap).toMatchObject({ received: 4 });
    expect(overlap.ids).toHaveLength(2);
    // A gap is refused: the worker must send from what the control plane holds.
    await expectConflict(await call('POST', '/events', { first: 9, events: [text('z')] }));
    // Concurrent copies of one batch store it once.
    await Promise.all([send(4, ['e']), send(4, ['e']), send(4, ['e'])]);

    const plan = { title: 'T', summary: 'S', steps: ['one'] };
    for (let attempt = 0; attempt < 2; attempt++) expect((await call('POST', '/plan', { plan })).status).toBe(204);
    expect((await decide(run.id)).status).toBe(200);
    // The same plan resent after the decision (its answer was lost) does not ask again.
    expect((await call('POST', '/plan', { plan })).status).toBe(204);
    expect(Run.parse(await (await owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`)).json()).status).toBe('running');

    const bytes = new TextEncoder().encode('export default 1;\n');
    const sha256 = PutBlobResponse.parse(await (await call('PUT', '/blobs', undefined, bytes)).json()).sha256;
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const manifest = { files: [{ path: 'src/App.tsx', sha256, size: bytes.byteLength }] };
    const first = RecordVersionResponse.parse(await (await call('POST', '/versions', manifest)).json());
    const again = RecordVersionResponse.parse(await (await call('POST', '/versions', manifest)).json());
    expect(again.id).toBe(first.id);

    for (let attempt = 0; attempt < 2; attempt++)
      expect((await call('POST', '/finish', { status: 'succeeded', summary: 'Ready.', usage })).status).toBe(204);
    await expectConflict(await call('POST', '/finish', { status: 'failed', reason: 'late', usage }));

    const types = (await runEvents(run.id)).map((event) => (event.event.type === 'text.delta' ? event.event.text : event.event.type));
    expect(types).toEqual([
      'message.user',
      'run.queued',
      'run.started',
      'a',
      'b',
      'c',
      'd',
      'e',
      'plan.proposed',
      'plan.decided',
      'version.created',
      'usage',
      'run.succeeded',
    ]);
  });

  it('refuses an event batch over the cap with 413, and bad worker bodies with 400', async () => {
    await createApp('A list of tasks');
    const call = worker(launcher.launched[0] as RunSpec);
    await call('POST', '/started', { workerId: 'w1', provider: 'p', model: 'm' });
    const big = 'x'.repeat(internalLimits.maxEventTextChars);
    const events = Array.from({ length: 6 }, () => ({ type: 'text.delta', text: big }));
    const refused = await call('POST', '/events', { first: 0, events });
    expect(refused.status).toBe(413);
    expect(ErrorBody.parse(await refused.json()).error.code).toBe('payload_too_large');
    for (const body of [{ first: -1, events: [{ type: 'text.delta', text: 'a' }] }, { events: [] }, { first: 0, events: [], extra: 1 }]) {
      expect((await call('POST', '/events', body)).status).toBe(400);
    }
    expect((await call('POST', '/heartbeat', { extra: true })).status).toBe(400);
    expect((await call('POST', '/finish', { status: 'stopped', usage })).status).toBe(409);
    expect((await call('GET', '/events?after=1&more=2')).status).toBe(400);
  });
});
