import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentsConfigResponse, CreateAppResponse, WorkspaceSummary } from '@hangar/protocol';
import type { RunLauncher } from '../ports/run-launcher';
import { createFileBlobStore } from '../adapters/file-blob-store';
import type { BlobStore } from '../ports/blob-store';
import { leadEnricherDocument } from '../../../protocol/src/agents-example.test-support';
import { createTestApp, type TestClient } from './testing';

const launcher: RunLauncher = { kind: 'fake', launch: () => Promise.resolve(), stop: () => Promise.resolve() };
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

const agentsDocument = leadEnricherDocument;

describe('app agents API', () => {
  let blobDir: string;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let admin: TestClient;
  let member: TestClient;
  let viewer: TestClient;
  let outsider: TestClient;
  let workspace: WorkspaceSummary;
  let appId: string;
  let blobs: BlobStore;
  const base = () => `/api/workspaces/${workspace.id}/apps/${appId}`;

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-agents-'));
    test = await createTestApp({ builder: { launcher, blobDir } });
    blobs = createFileBlobStore(blobDir);
    owner = await test.signIn('Olive', 'olive@example.com');
    admin = await test.signIn('Ada', 'ada@example.com');
    member = await test.signIn('Max', 'max@example.com');
    viewer = await test.signIn('Vic', 'vic@example.com');
    outsider = await test.signIn('Oscar', 'oscar@example.com');
    workspace = await test.workspaceWith(owner, [
      [admin, 'admin'],
      [member, 'member'],
      [viewer, 'viewer'],
    ]);
    await test.workspaceWith(outsider, []);
    const created = await json<CreateAppResponse>(
      member.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A leads tracker with name and company' }),
    );
    appId = created.app.id;
    const bytes = new TextEncoder().encode('<!doctype html>');
    const sha256 = await blobs.put(bytes);
    await test.plane.worker.createVersion(workspace.id, appId, [{ path: 'index.html', sha256, size: bytes.byteLength }], {
      runId: null,
      restoredFrom: null,
    });
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('validates the documented example, and each refused edit with its path', async () => {
    const valid = await json<{ valid: boolean; errors: unknown[]; capabilities: Record<string, { requiresCallApproval: boolean }> }>(
      member.request('POST', `${base()}/agents/validate`, { document: agentsDocument() }),
    );
    expect(valid).toMatchObject({ valid: true, errors: [], capabilities: { enricher: { requiresCallApproval: true } } });
    const edits: [(doc: ReturnType<typeof agentsDocument>) => void, string][] = [
      [(doc) => (doc.tools[0]!.url = 'http://api.example-crm.com/v1/companies'), 'tools[0].url'],
      [(doc) => (doc.tools[0]!.url = 'https://api.other.com/v1/companies'), 'tools[0].url'],
      [(doc) => (doc.tools[0]!.headers = { authorization: 'Bearer 12345secret' }), 'tools[0].headers.authorization'],
    ];
    for (const [edit, path] of edits) {
      const doc = agentsDocument();
      edit(doc);
      const response = await member.request('POST', `${base()}/agents/validate`, { document: doc });
      expect(response.status).toBe(200);
      const body = await json<{ valid: boolean; errors: { path: string }[] }>(response);
      expect(body.valid).toBe(false);
      expect(body.errors.map((error) => error.path)).toContain(path);
    }
  });

  it('a console edit is a new version; an admin approves its hash; any edit makes the approval stale', async () => {
    const empty = await json<AgentsConfigResponse>(member.request('GET', `${base()}/agents`));
    expect(empty).toMatchObject({ text: null, hash: null, approval: null });

    const saved = await json<AgentsConfigResponse>(member.request('PUT', `${base()}/agents`, { document: agentsDocument() }));
    expect(saved.hash).toMatch(/^agents-v1:sha256:[0-9a-f]{64}$/);
    expect(saved.lastEditedBy).toBe(member.me.identity.id);

    expect((await member.request('POST', `${base()}/agents/approve`, { hash: saved.hash })).status).toBe(403);
    expect((await admin.request('POST', `${base()}/agents/approve`, { hash: 'agents-v1:sha256:0' })).status).toBe(409);
    const approved = await json<AgentsConfigResponse>(admin.request('POST', `${base()}/agents/approve`, { hash: saved.hash }));
    expect(approved.approval).toMatchObject({
      hash: saved.hash,
      state: 'current',
      approvedBy: admin.me.identity.id,
      approvedByName: 'Ada',
    });

    // Key order alone does not change the hash.
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([key, item]) => [key, reverseKeys(item)]),
            )
          : value;
    const reordered = reverseKeys(agentsDocument());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(agentsDocument()));
    const same = await json<AgentsConfigResponse>(member.request('PUT', `${base()}/agents`, { document: reordered }));
    expect(same.approval?.state).toBe('current');

    const doc = agentsDocument();
    doc.agents[0]!.instructions = 'Also email the lead.';
    const edited = await json<AgentsConfigResponse>(member.request('PUT', `${base()}/agents`, { document: doc }));
    expect(edited.hash).not.toBe(saved.hash);
    expect(edited.approval?.state).toBe('stale');
    expect(edited.diffSinceApproval).toContain('+      "instructions": "Also email the lead."');

    const audit = await json<{ items: { action: string }[] }>(
      owner.request('GET', `/api/workspaces/${workspace.id}/audit-events?limit=100`),
    );
    expect(audit.items.map((event) => event.action)).toEqual(expect.arrayContaining(['agents.edited', 'agents.approved']));
  });

  it('refuses an invalid document on save, and a self-approval when the workspace forbids it', async () => {
    const bad = agentsDocument();
    bad.tools[0]!.url = 'http://api.example-crm.com/v1';
    const refused = await admin.request('PUT', `${base()}/agents`, { document: bad });
    expect(refused.status).toBe(400);
    expect(await json<{ error: { code: string } }>(refused)).toMatchObject({ error: { code: 'validation_failed' } });

    expect(
      (
        await member.request('PUT', `/api/workspaces/${workspace.id}/agent-settings`, {
          forbidSelfApproval: true,
          maxConcurrentRuns: 3,
          monthlySpendLimitUsd: 10,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await admin.request('PUT', `/api/workspaces/${workspace.id}/agent-settings`, {
          forbidSelfApproval: true,
          maxConcurrentRuns: 3,
          monthlySpendLimitUsd: 10,
        })
      ).status,
    ).toBe(200);
    const saved = await json<AgentsConfigResponse>(admin.request('PUT', `${base()}/agents`, { document: agentsDocument() }));
    const self = await admin.request('POST', `${base()}/agents/approve`, { hash: saved.hash });
    expect(self.status).toBe(403);
    expect((await owner.request('POST', `${base()}/agents/approve`, { hash: saved.hash })).status).toBe(200);
  });

  it('secrets are write-only and managed by admins and owners', async () => {
    const value = 'tok-UNIQUE-4b1d-value';
    expect((await member.request('PUT', `${base()}/secrets/CRM_TOKEN`, { value })).status).toBe(403);
    const set = await admin.request('PUT', `${base()}/secrets/CRM_TOKEN`, { value });
    expect(set.status).toBe(200);
    const listed = await admin.request('GET', `${base()}/secrets`);
    const text = await listed.text();
    expect(text).toContain('CRM_TOKEN');
    expect(text).not.toContain(value);
    expect(JSON.stringify(await set.json())).not.toContain(value);
    expect((await admin.request('PUT', `${base()}/secrets/not-a-name`, { value })).status).toBe(404);
    expect((await admin.request('PUT', `${base()}/secrets/CRM_TOKEN`, { value, extra: 1 })).status).toBe(400);
    expect((await admin.request('DELETE', `${base()}/secrets/CRM_TOKEN`)).status).toBe(204);
    expect((await admin.request('DELETE', `${base()}/secrets/CRM_TOKEN`)).status).toBe(404);
    const everything = JSON.stringify(await test.store.collection('audit_events').find({}, { limit: 1000 }));
    expect(everything).toContain('secret.set');
    expect(everything).not.toContain(value);
    // The audit names the secret (names only): set, then deleted.
    const secretEvents = (await test.store.collection('audit_events').find({}, { limit: 1000 })).items
      .filter((event) => String(event.action).startsWith('secret.'))
      .map((event) => [event.action, (event.metadata as { name?: string }).name]);
    expect(secretEvents).toEqual(
      expect.arrayContaining([
        ['secret.set', 'CRM_TOKEN'],
        ['secret.deleted', 'CRM_TOKEN'],
      ]),
    );
  });

  it('role × route × foreign workspace', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/agents'],
      ['POST', '/agents/validate', { document: agentsDocument() }],
      ['PUT', '/agents', { document: agentsDocument() }],
      ['POST', '/agents/approve', { hash: 'x' }],
      ['GET', '/secrets'],
      ['PUT', '/secrets/CRM_TOKEN', { value: 'v' }],
    ];
    for (const [method, path, body] of routes) {
      expect((await outsider.request(method, `${base()}${path}`, body)).status, `${method} ${path} outsider`).toBe(404);
      expect([403, 404], `${method} ${path} viewer`).toContain((await viewer.request(method, `${base()}${path}`, body)).status);
    }
    expect((await member.request('GET', `${base()}/secrets`)).status).toBe(403);
    expect((await member.request('PUT', `${base()}/agents`, 'not json', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await member.request('POST', `${base()}/agents/validate`, { document: {}, extra: true })).status).toBe(400);
  });
});
