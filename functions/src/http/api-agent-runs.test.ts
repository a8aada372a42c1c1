import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accessRulesFileName,
  AgentDataResponse,
  AgentToolCallResponse,
  type AgentsConfigResponse,
  type CallApproval,
  type CreateAppResponse,
  type Run,
  type WorkspaceSummary,
} from '@hangar/protocol';
import { createFileBlobStore } from '../adapters/file-blob-store';
import { createSafeHttpClient } from '../adapters/outbound/safe-http-client';
import {
  startTestIntegrationServer,
  testIntegrationCa,
  type TestIntegrationServer,
} from '../adapters/outbound/testing/test-integration-server';
import type { RunSpec } from '../ports/run-launcher';
import { createTestApp, RecordingLauncher, testOrigin, type TestClient } from './testing';
import { leadEnricherDocument } from '../../../protocol/src/agents-example.test-support';

const secretValue = 'crm-UNIQUE-7f3e9a1b-secret';
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

const agentsDocument = (port: number) =>
  leadEnricherDocument({
    triggers: [{ type: 'manual' }],
    tool: {
      url: `https://api.tools.hangar.test:${port}/v1/companies`,
      domain: 'tools.hangar.test',
      mock: { name: 'Acme (mock)', employees: 1 },
    },
  });

describe('app agent runs through the control plane', () => {
  let server: TestIntegrationServer;
  let blobDir: string;
  let launcher: RecordingLauncher;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let member: TestClient;
  let viewer: TestClient;
  let workspace: WorkspaceSummary;
  let appId: string;
  const responses: string[] = [];
  const base = () => `/api/workspaces/${workspace.id}/apps/${appId}`;
  const record = async (response: Response) => {
    responses.push(await response.clone().text());
    return response;
  };

  beforeAll(async () => {
    server = await startTestIntegrationServer();
  });
  afterAll(() => server.close());

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-agent-runs-'));
    launcher = new RecordingLauncher();
    test = await createTestApp({
      builder: { launcher, blobDir },
      outbound: createSafeHttpClient({
        resolver: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
        unsafeTestOverrides: { allowAddresses: (address) => address === '127.0.0.1', ca: testIntegrationCa },
      }),
    });
    owner = await test.signIn('Olive', 'olive@example.com');
    member = await test.signIn('Max', 'max@example.com');
    viewer = await test.signIn('Vic', 'vic@example.com');
    workspace = await test.workspaceWith(owner, [
      [member, 'member'],
      [viewer, 'viewer'],
    ]);
    const created = await json<CreateAppResponse>(
      member.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A leads tracker' }),
    );
    appId = created.app.id;
    const files = [];
    for (const [path, text] of Object.entries({
      'index.html': '<!doctype html>',
      [accessRulesFileName]: JSON.stringify({ version: 1, collections: { leads: { read: 'viewers', write: 'members' } } }),
    })) {
      const bytes = new TextEncoder().encode(text);
      files.push({ path, sha256: await createFileBlobStore(blobDir).put(bytes), size: bytes.byteLength });
    }
    await test.plane.worker.createVersion(workspace.id, appId, files, { runId: null, restoredFrom: null });
    await member.request('PUT', `${base()}/agents`, { document: agentsDocument(server.port) });
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  /** Plays the worker of the last launched run through the internal API. */
  const worker = (spec: RunSpec) => async (method: string, path: string, body?: unknown) =>
    record(
      await test.app.request(`${testOrigin}/internal/runs/${spec.runId}${path}`, {
        method,
        headers: { authorization: `Bearer ${spec.runToken}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const startRun = async (client: TestClient, scope: 'draft' | 'published', input: Record<string, unknown>) => {
    const response = await record(await client.request('POST', `${base()}/agents/enricher/runs`, { input, scope }));
    expect(response.status, await response.clone().text()).toBe(201);
    const run = await json<Run>(response);
    const spec = launcher.launched.at(-1);
    if (!spec || spec.runId !== run.id) throw new Error('the run was not launched');
    const call = worker(spec);
    expect((await call('POST', '/started', { workerId: 'w1', provider: 'offline', model: 'offline-agent' })).status).toBe(204);
    return { run, call, spec };
  };
  const lead = async () => {
    const response = await owner.request('POST', `${base()}/data/published/leads`, { _id: 'lead_1', name: 'Ada', company: 'Acme' });
    expect(response.status).toBe(201);
  };

  it('before approval: the draft agent gets mock answers and no data, and its context says so', async () => {
    const { call } = await startRun(member, 'draft', { company: 'Acme' });
    const before = server.requests.length;
    const tool = AgentToolCallResponse.parse(await json(call('POST', '/tools/lookup_company', { input: { company: 'Acme' } })));
    expect(tool).toEqual({
      status: 'ok',
      mock: true,
      httpStatus: 200,
      body: JSON.stringify({ name: 'Acme (mock)', employees: 1 }),
      host: 'api.tools.hangar.test',
    });
    expect(server.requests.length).toBe(before);
    expect((await call('POST', '/data/read', { collection: 'leads' })).status).toBe(403);
    const context = await json<{ agentRun: { live: boolean; approvalRequiredFor: string[] } }>(call('GET', '/context'));
    expect(context.agentRun).toMatchObject({ live: false, approvalRequiredFor: [] });
  });

  it('approved and published: a viewer triggers it, the secret is injected in the control plane, the write waits for a person, and nothing leaks', async () => {
    await owner.request('PUT', `${base()}/secrets/CRM_TOKEN`, { value: secretValue });
    const config = await json<AgentsConfigResponse>(owner.request('GET', `${base()}/agents`));
    expect((await owner.request('POST', `${base()}/agents/approve`, { hash: config.hash })).status).toBe(200);
    // Reviewed and published, so the viewer uses it (with its data) from the Apps page.
    const review = await json<{ id: string }>(member.request('POST', `${base()}/reviews`, { versionId: config.versionId }));
    expect(
      (await owner.request('POST', `/api/workspaces/${workspace.id}/reviews/${review.id}/decision`, { decision: 'approve' })).status,
    ).toBe(200);
    expect((await owner.request('POST', `${base()}/publish`, { versionId: config.versionId })).status).toBe(200);
    await lead();
    server.handle((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name: 'Acme', employees: 120, echoedAuth: request.headers.authorization }));
    });

    const { run, call } = await startRun(viewer, 'published', { id: 'lead_1', company: 'Acme' });
    const tool = AgentToolCallResponse.parse(await json(call('POST', '/tools/lookup_company', { input: { company: 'Acme' } })));
    expect(tool).toMatchObject({ status: 'ok', mock: false, httpStatus: 200 });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${secretValue}`);
    expect(JSON.stringify(tool)).not.toContain(secretValue);

    // A collection the agent did not declare is refused by the control plane, whatever the worker sends.
    expect((await call('POST', '/data/write', { operation: 'insert', collection: 'payroll', document: { x: 1 } })).status).toBe(403);

    // The rule of two: reads HTTP, touches leads, writes leads → the write waits for a person.
    const write = { operation: 'update', collection: 'leads', id: 'lead_1', set: { employees: 120 } };
    const pending = AgentDataResponse.parse(await json(call('POST', '/data/write', write)));
    expect(pending.status).toBe('approval_required');
    const approvalId = pending.status === 'approval_required' ? pending.approvalId : '';
    expect((await json<Run>(owner.request('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`))).status).toBe('awaiting_approval');
    const approvals = await json<{ items: CallApproval[] }>(owner.request('GET', `${base()}/call-approvals`));
    expect(approvals.items[0]).toMatchObject({ id: approvalId, tool: 'update_app_data', state: 'pending' });
    // Not the viewer's to decide? The viewer started it: they may; another member may not.
    expect(
      (await member.request('POST', `/api/workspaces/${workspace.id}/call-approvals/${approvalId}/decision`, { decision: 'approve' }))
        .status,
    ).toBe(403);
    expect(
      (await owner.request('POST', `/api/workspaces/${workspace.id}/call-approvals/${approvalId}/decision`, { decision: 'approve' }))
        .status,
    ).toBe(200);
    // A different call cannot ride on the approval.
    expect((await call('POST', '/data/write', { ...write, set: { employees: 999 }, approvalId })).status).toBe(403);
    const written = AgentDataResponse.parse(await json(call('POST', '/data/write', { ...write, approvalId })));
    expect(written).toMatchObject({ status: 'ok', items: [{ _id: 'lead_1', employees: 120 }] });
    // One approval, one call.
    expect((await call('POST', '/data/write', { ...write, approvalId })).status).toBe(403);

    const leadNow = await json<{ employees: number }>(viewer.request('GET', `${base()}/data/published/leads/lead_1`));
    expect(leadNow.employees).toBe(120);
    expect(
      (
        await call('POST', '/finish', {
          status: 'succeeded',
          summary: 'Enriched lead_1',
          usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        })
      ).status,
    ).toBe(204);

    // The secret is nowhere: API answers, audit records, run events, stored documents.
    const audit = await owner.request('GET', `/api/workspaces/${workspace.id}/audit-events?limit=200`);
    const auditText = await audit.text();
    expect(auditText).toContain('agent.tool_called');
    expect(auditText).toContain('agent.call_approved');
    const everything = [
      ...responses,
      auditText,
      JSON.stringify(await test.events.read(run.id)),
      ...(await Promise.all(
        ['audit_events', 'runs', 'app_secrets', 'agent_call_approvals', 'agent_approvals'].map(async (name) =>
          JSON.stringify(await test.store.collection(name).find({}, { limit: 1000 })),
        ),
      )),
    ].join('\n');
    expect(everything).not.toContain(secretValue);
  });

  it('limits concurrent runs and monthly spend with a clear error, and audits the refusal', async () => {
    expect(
      (
        await owner.request('PUT', `/api/workspaces/${workspace.id}/agent-settings`, {
          forbidSelfApproval: false,
          maxConcurrentRuns: 1,
          monthlySpendLimitUsd: 0.5,
        })
      ).status,
    ).toBe(200);
    const { call } = await startRun(member, 'draft', {});
    const refused = await member.request('POST', `${base()}/agents/enricher/runs`, { input: {}, scope: 'draft' });
    expect(refused.status).toBe(429);
    expect(await json(refused)).toMatchObject({ error: { code: 'limit_reached', details: { limit: 'concurrent_runs', max: 1 } } });
    await call('POST', '/finish', { status: 'succeeded', summary: 'ok', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.6 } });
    const spent = await member.request('POST', `${base()}/agents/enricher/runs`, { input: {}, scope: 'draft' });
    expect(spent.status).toBe(429);
    expect(await json(spent)).toMatchObject({ error: { code: 'limit_reached', details: { limit: 'monthly_spend' } } });
    const audit = await json<{ items: { action: string; outcome: string }[] }>(
      owner.request('GET', `/api/workspaces/${workspace.id}/audit-events?action=agent.limit_refused`),
    );
    expect(audit.items.length).toBe(2);
  });

  it('refuses bad input cleanly', async () => {
    expect((await member.request('POST', `${base()}/agents/no-such/runs`, { input: {} })).status).toBe(404);
    expect((await member.request('POST', `${base()}/agents/BAD ID/runs`, { input: {} })).status).toBe(404);
    expect((await member.request('POST', `${base()}/agents/enricher/runs`, { input: {}, extra: 1 })).status).toBe(400);
    expect((await member.request('POST', `${base()}/agents/enricher/runs`, { input: { big: 'x'.repeat(20_000) } })).status).toBe(400);
    const { call } = await startRun(member, 'draft', {});
    expect((await call('POST', '/tools/unknown_tool', { input: {} })).status).toBe(200);
    expect(AgentToolCallResponse.parse(await json(call('POST', '/tools/unknown_tool', { input: {} })))).toMatchObject({
      status: 'error',
      category: 'policy',
    });
    expect((await call('POST', '/tools/lookup_company', { input: { company: 1 } })).status).toBe(200);
    expect((await call('POST', '/data/read', { collection: 'leads', filter: { $where: 'x' } })).status).toBe(400);
    expect(
      (
        await test.app.request(`${testOrigin}/internal/runs/${launcher.launched.at(-1)?.runId ?? ''}/tools/lookup_company`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
  });
});
