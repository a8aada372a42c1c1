import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AgentSchedulesResponse,
  type AgentsConfigResponse,
  type AuditEvent,
  type CreateAppResponse,
  type WorkspaceSummary,
} from '@hangar/protocol';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { builderCollections, type RunRecord } from '../domain/records';
import { createTestApp, RecordingLauncher, type TestClient } from './testing';

const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

type Trigger = { type: 'manual' } | { type: 'schedule'; cron?: string; rate?: string; timezone?: string; input?: Record<string, unknown> };
const agentsDocument = (triggers: Trigger[]) => ({
  version: 1,
  agents: [
    {
      id: 'enricher',
      name: 'Lead enricher',
      description: 'Looks up companies',
      instructions: 'Call lookup_company and write what it returns to the lead.',
      tools: ['lookup_company'],
      dataCollections: { read: ['leads'], write: ['leads'] },
      triggers,
    },
  ],
  tools: [
    {
      name: 'lookup_company',
      description: 'Company facts by name',
      method: 'GET',
      url: 'https://api.example-crm.com/v1/companies',
      domain: 'api.example-crm.com',
      query: { name: '{{input.company}}' },
      inputSchema: { type: 'object', properties: { company: { type: 'string' } } },
      mock: { name: 'Acme', employees: 120 },
    },
  ],
});
const weekdayMornings: Trigger = { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/London', input: { company: 'Acme' } };
const halfHourly: Trigger = { type: 'schedule', rate: 'rate(30 minutes)' };

describe('app-agent schedules: publishing syncs them, the controllable clock fires them', () => {
  let blobDir: string;
  let now: Date;
  let launcher: RecordingLauncher;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let admin: TestClient;
  let member: TestClient;
  let otherMember: TestClient;
  let viewer: TestClient;
  let outsider: TestClient;
  let workspace: WorkspaceSummary;
  let appId: string;
  let buildRunId: string;
  const base = () => `/api/workspaces/${workspace.id}/apps/${appId}`;
  const schedules = async (client: TestClient = member) => {
    const response = await client.request('GET', `${base()}/agents/schedules`);
    expect(response.status, await response.clone().text()).toBe(200);
    return AgentSchedulesResponse.parse(await response.json());
  };
  const audit = async (action: string) =>
    (await test.store.collection<AuditEvent & { _id: string }>('audit_events').find({ action }, { limit: 100 })).items;
  const agentRuns = async () =>
    (await test.store.collection<RunRecord>(builderCollections.runs).find({ appId, kind: 'agent' }, { sort: { _id: 1 }, limit: 100 }))
      .items;

  /** Saves agents.json as the member would, optionally approves it, then reviews and publishes that version. */
  const publish = async (triggers: Trigger[], options: { approve: boolean } = { approve: true }) => {
    const saved = await json<AgentsConfigResponse>(member.request('PUT', `${base()}/agents`, { document: agentsDocument(triggers) }));
    if (options.approve) expect((await admin.request('POST', `${base()}/agents/approve`, { hash: saved.hash })).status).toBe(200);
    const review = await json<{ id: string }>(member.request('POST', `${base()}/reviews`, { versionId: saved.versionId }));
    const decided = await owner.request('POST', `/api/workspaces/${workspace.id}/reviews/${review.id}/decision`, { decision: 'approve' });
    expect(decided.status).toBe(200);
    return owner.request('POST', `${base()}/publish`, { versionId: saved.versionId });
  };

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-schedules-'));
    // Tuesday 1 December 2026, 08:00 UTC (08:00 in London).
    now = new Date('2026-12-01T08:00:00.000Z');
    launcher = new RecordingLauncher();
    test = await createTestApp({ builder: { launcher, blobDir, clock: { now: () => now } } });
    owner = await test.signIn('Olive', 'olive@example.com');
    admin = await test.signIn('Ada', 'ada@example.com');
    member = await test.signIn('Max', 'max@example.com');
    otherMember = await test.signIn('Mia', 'mia@example.com');
    viewer = await test.signIn('Vic', 'vic@example.com');
    outsider = await test.signIn('Oscar', 'oscar@example.com');
    workspace = await test.workspaceWith(owner, [
      [admin, 'admin'],
      [member, 'member'],
      [otherMember, 'member'],
      [viewer, 'viewer'],
    ]);
    await test.workspaceWith(outsider, []);
    const created = await json<CreateAppResponse>(
      member.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A leads tracker' }),
    );
    appId = created.app.id;
    buildRunId = created.run.id;
    const bytes = new TextEncoder().encode('<!doctype html>');
    const sha256 = await createFileBlobStore(blobDir).put(bytes);
    await test.plane.worker.createVersion(workspace.id, appId, [{ path: 'index.html', sha256, size: bytes.byteLength }], {
      runId: null,
      restoredFrom: null,
    });
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('publishing refuses agents not approved at their current hash; once approved it records the hash and creates the schedules', async () => {
    const refused = await publish([{ type: 'manual' }, weekdayMornings], { approve: false });
    expect(refused.status).toBe(409);
    expect((await json<{ error: { code: string; message: string } }>(refused)).error.message).toMatch(/not approved at their current hash/);
    expect((await schedules()).items).toEqual([]);

    // Approved, then edited again: the approval is stale, so publishing the new version is refused too.
    const stale = await publish([{ type: 'manual' }, weekdayMornings, halfHourly], { approve: false });
    expect(stale.status).toBe(409);

    expect((await publish([{ type: 'manual' }, weekdayMornings, halfHourly])).status).toBe(200);
    const config = await json<AgentsConfigResponse>(member.request('GET', `${base()}/agents`));
    const app = await test.store.collection(builderCollections.apps).findOne({ _id: appId });
    expect(app?.publishedAgentsHash).toBe(config.hash);

    const listed = await schedules();
    expect(listed).toEqual({
      items: [
        {
          id: expect.stringMatching(/^sch_[0-9a-f]{32}$/) as string,
          agentId: 'enricher',
          triggerIndex: 1,
          expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
          nextFireAt: '2026-12-01T09:00:00.000Z',
          lastFiredAt: null,
          lastRunId: null,
        },
        {
          id: expect.stringMatching(/^sch_[0-9a-f]{32}$/) as string,
          agentId: 'enricher',
          triggerIndex: 2,
          expression: { rate: 'rate(30 minutes)' },
          nextFireAt: '2026-12-01T08:30:00.000Z',
          lastFiredAt: null,
          lastRunId: null,
        },
      ],
      nextCursor: null,
    });
    const createdEvents = await audit('agent.schedule_created');
    expect(createdEvents.map((event) => event.metadata)).toEqual([
      expect.objectContaining({ scheduleId: listed.items[0]?.id, agentId: 'enricher', triggerIndex: 1, scheduler: 'in-process' }),
      expect.objectContaining({ scheduleId: listed.items[1]?.id, agentId: 'enricher', triggerIndex: 2 }),
    ]);
    expect(createdEvents[0]?.actor).toMatchObject({ type: 'user', id: owner.me.identity.id });
    expect((await audit('app.published'))[0]?.metadata).toMatchObject({ agentsHash: config.hash });
  });

  it('a version without agents publishes without an approval, and has no schedules', async () => {
    const review = await json<{ id: string; versionId: string }>(
      member.request('POST', `${base()}/reviews`, {
        versionId: (await json<AgentsConfigResponse>(member.request('GET', `${base()}/agents`))).versionId,
      }),
    );
    await owner.request('POST', `/api/workspaces/${workspace.id}/reviews/${review.id}/decision`, { decision: 'approve' });
    expect((await owner.request('POST', `${base()}/publish`, { versionId: review.versionId })).status).toBe(200);
    expect((await test.store.collection(builderCollections.apps).findOne({ _id: appId }))?.publishedAgentsHash).toBeNull();
    expect((await schedules()).items).toEqual([]);
  });

  it('fires on the controllable clock as a scheduled run of the published agent, once per due time', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    const [schedule] = (await schedules()).items;
    expect(await test.scheduler.fireDue()).toEqual([]);
    expect(await agentRuns()).toHaveLength(0);

    now = new Date('2026-12-01T09:00:20.000Z');
    expect(await test.scheduler.fireDue()).toEqual([{ scheduleId: schedule?.id, scheduledFor: '2026-12-01T09:00:00.000Z' }]);
    const [run] = await agentRuns();
    expect(run).toMatchObject({
      kind: 'agent',
      createdBy: `schedule:${schedule?.id}`,
      agent: { agentId: 'enricher', trigger: 'schedule', scope: 'published', live: true, input: { company: 'Acme' } },
    });
    expect(launcher.launched.at(-1)?.runId).toBe(run?._id);
    const fired = await audit('agent.schedule_fired');
    expect(fired.map((event) => [event.actor.type, event.metadata])).toEqual([
      ['system', { agentId: 'enricher', scheduleId: schedule?.id, scheduledFor: '2026-12-01T09:00:00.000Z' }],
    ]);
    expect((await schedules()).items[0]).toMatchObject({
      lastFiredAt: '2026-12-01T09:00:20.000Z',
      lastRunId: run?._id,
      nextFireAt: '2026-12-02T09:00:00.000Z',
    });

    // The same due time delivered again (EventBridge delivers at least once) starts nothing.
    expect(await test.plane.schedules.fire({ scheduleId: schedule?.id ?? '', scheduledFor: '2026-12-01T09:00:00.000Z' })).toEqual({
      status: 'skipped',
      reason: 'duplicate',
    });
    expect(await agentRuns()).toHaveLength(1);
  });

  it('restored into a fresh in-process scheduler (a host restart), a fire missed while down happens once', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    const [schedule] = (await schedules()).items;
    now = new Date('2026-12-01T09:00:00.000Z');
    expect((await test.scheduler.fireDue()).length).toBe(1);
    // The host stops; the in-process adapter forgets everything. It comes back on Wednesday at 10:00.
    await test.scheduler.remove(schedule?.id ?? '');
    now = new Date('2026-12-02T10:00:00.000Z');
    expect(await test.plane.schedules.restore()).toBe(1);
    expect(await test.scheduler.fireDue()).toEqual([{ scheduleId: schedule?.id, scheduledFor: '2026-12-02T09:00:00.000Z' }]);
    expect(await test.scheduler.fireDue()).toEqual([]);
    expect(await agentRuns()).toHaveLength(2);
    expect((await schedules()).items[0]?.nextFireAt).toBe('2026-12-03T09:00:00.000Z');
  });

  it('re-publishing replaces a changed schedule and removes a gone one; unpublishing removes the rest', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings, halfHourly])).status).toBe(200);
    const [morning, rate] = (await schedules()).items;
    now = new Date('2026-12-01T08:10:00.000Z');
    // The morning run moves to 07:30 and the rate trigger goes.
    expect((await publish([{ type: 'manual' }, { ...weekdayMornings, cron: '30 7 * * 1-5' }])).status).toBe(200);
    const after = (await schedules()).items;
    expect(after.map((item) => [item.id, item.expression, item.nextFireAt])).toEqual([
      [morning?.id, { cron: '30 7 * * 1-5', timezone: 'Europe/London' }, '2026-12-02T07:30:00.000Z'],
    ]);
    expect((await audit('agent.schedule_created')).at(-1)?.metadata).toMatchObject({
      scheduleId: morning?.id,
      replaced: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
    });
    expect((await audit('agent.schedule_removed')).map((event) => event.metadata)).toEqual([
      { scheduleId: rate?.id, agentId: 'enricher', triggerIndex: 2, reason: 'trigger_removed' },
    ]);
    // The removed rate schedule no longer fires.
    now = new Date('2026-12-01T09:00:00.000Z');
    expect(await test.scheduler.fireDue()).toEqual([]);

    expect((await owner.request('POST', `${base()}/unpublish`)).status).toBe(200);
    expect((await schedules()).items).toEqual([]);
    expect((await audit('agent.schedule_removed')).at(-1)?.metadata).toMatchObject({ scheduleId: morning?.id, reason: 'unpublished' });
    now = new Date('2026-12-02T08:00:00.000Z');
    expect(await test.scheduler.fireDue()).toEqual([]);
    // A late fire of a schedule that is gone is skipped, and starts nothing.
    expect(await test.plane.schedules.fire({ scheduleId: morning?.id ?? '', scheduledFor: '2026-12-02T07:30:00.000Z' })).toEqual({
      status: 'skipped',
      reason: 'unknown_schedule',
    });
    expect(await agentRuns()).toHaveLength(0);
  });

  it('a fire is checked against what is published now: an app unpublished behind the scheduler’s back is skipped and cleaned up', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    const [schedule] = (await schedules()).items;
    // As if the unpublish had not reached the scheduler (an adapter outage).
    await test.store.collection(builderCollections.apps).updateOne({ _id: appId }, { $set: { publishedVersionId: null } });
    const outcome = await test.plane.schedules.fire({ scheduleId: schedule?.id ?? '', scheduledFor: '2026-12-01T09:00:00.000Z' });
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'not_published' });
    expect(await agentRuns()).toHaveLength(0);
    expect((await audit('agent.schedule_skipped')).map((event) => [event.outcome, event.metadata?.reason])).toEqual([
      ['denied', 'not_published'],
    ]);
    expect((await audit('agent.schedule_removed')).at(-1)?.metadata).toMatchObject({ scheduleId: schedule?.id, reason: 'stale' });
    now = new Date('2026-12-01T09:00:00.000Z');
    expect(await test.scheduler.fireDue()).toEqual([]);
  });

  it('a limit refusal spends the fire but keeps the schedule', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    const settings = await owner.request('PUT', `/api/workspaces/${workspace.id}/agent-settings`, {
      forbidSelfApproval: false,
      maxConcurrentRuns: 1,
      monthlySpendLimitUsd: 0,
    });
    expect(settings.status).toBe(200);
    now = new Date('2026-12-01T09:00:00.000Z');
    expect((await test.scheduler.fireDue()).length).toBe(1);
    expect(await agentRuns()).toHaveLength(0);
    expect((await audit('agent.limit_refused')).length).toBe(1);
    expect((await audit('agent.schedule_skipped')).map((event) => event.metadata?.reason)).toEqual(['refused']);
    expect((await schedules()).items[0]).toMatchObject({ lastFiredAt: '2026-12-01T09:00:00.000Z', nextFireAt: '2026-12-02T09:00:00.000Z' });
  });

  it('deleting the app removes its schedules through the scheduler', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    const [schedule] = (await schedules()).items;
    // The app's first build is still queued; an app with an active run is not deleted.
    expect((await member.request('POST', `/api/workspaces/${workspace.id}/runs/${buildRunId}/stop`)).status).toBe(200);
    expect((await member.request('DELETE', base())).status).toBe(204);
    expect((await audit('app.deleted'))[0]?.metadata).toMatchObject({ schedules: 1 });
    expect((await audit('agent.schedule_removed')).map((event) => event.metadata)).toEqual([
      { scheduleId: schedule?.id, agentId: 'enricher', triggerIndex: 1, reason: 'app_deleted' },
    ]);
    now = new Date('2026-12-01T09:00:00.000Z');
    expect(await test.scheduler.fireDue()).toEqual([]);
    expect(await test.store.collection('app_schedules').count({})).toBe(0);
  });

  it('role × route × foreign workspace: readable by exactly who reads the agents configuration', async () => {
    expect((await publish([{ type: 'manual' }, weekdayMornings])).status).toBe(200);
    for (const [who, client] of [
      ['owner', owner],
      ['admin', admin],
      ['creator', member],
      ['other member', otherMember],
      ['viewer', viewer],
      ['outsider', outsider],
    ] as const) {
      const agents = (await client.request('GET', `${base()}/agents`)).status;
      const listed = await client.request('GET', `${base()}/agents/schedules`);
      expect(listed.status, who).toBe(agents);
      if (listed.status === 200) expect(AgentSchedulesResponse.parse(await listed.json()).items, who).toHaveLength(1);
      else expect((await json<{ error: { code: string } }>(listed)).error.code, who).toMatch(/^(forbidden|not_found)$/);
    }
    expect((await owner.request('GET', `${base()}/agents/schedules`)).status).toBe(200);
    expect((await viewer.request('GET', `${base()}/agents/schedules`)).status).not.toBe(200);
    expect((await outsider.request('GET', `${base()}/agents/schedules`)).status).toBe(404);
    expect((await member.request('GET', `/api/workspaces/${workspace.id}/apps/app_missing/agents/schedules`)).status).toBe(404);
  });
});
