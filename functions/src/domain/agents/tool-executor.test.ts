import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTool } from '@hangar/protocol';
import { createSafeHttpClient } from '../../adapters/outbound/safe-http-client';
import {
  startTestIntegrationServer,
  testIntegrationCa,
  type TestIntegrationServer,
} from '../../adapters/outbound/testing/test-integration-server';
import { createLocalSecretCipher, loadOrCreateSecretKey } from '../../adapters/local-secret-cipher';
import { createTestApp, type TestApp, type TestClient } from '../../http/testing';
import { systemClock } from '../../ports/clock';
import { builderCollections } from '../records';
import type { Actor } from '../workspace-access';
import { SecretService } from './secret-service';
import { ToolExecutor } from './tool-executor';

const secretValue = 'crm-8d1f3a-UNIQUE-SECRET-c0ffee';
let server: TestIntegrationServer;
let testApp: TestApp;
let owner: TestClient;
let member: TestClient;
let workspaceId: string;
const appId = 'app_tooltest';
let secrets: SecretService;
let executor: ToolExecutor;
const actorOf = (client: TestClient): Actor => ({ identity: client.me.identity, source: 'console' });

const tool = (port: number, overrides: Partial<HttpTool> = {}): HttpTool => ({
  name: 'lookup_company',
  description: 'Company facts by name',
  method: 'GET',
  url: `https://api.tools.hangar.test:${port}/v1/companies`,
  domain: 'tools.hangar.test',
  query: { name: '{{input.company}}' },
  headers: { authorization: 'Bearer {{secrets.CRM_TOKEN}}' },
  inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
  mock: { name: 'Acme', employees: 120 },
  ...overrides,
});
const call = (live: boolean, input: unknown = { company: 'Acme & Co' }, overrides: Partial<HttpTool> = {}) => ({
  workspaceId,
  appId,
  agentId: 'enricher',
  runId: 'run_tool1',
  tool: tool(server.port, overrides),
  input,
  live,
});

beforeAll(async () => {
  server = await startTestIntegrationServer();
  testApp = await createTestApp();
  owner = await testApp.signIn('Olive Owner', 'olive@example.com');
  member = await testApp.signIn('Max Member', 'max@example.com');
  workspaceId = (await testApp.workspaceWith(owner, [[member, 'member']])).id;
  const now = new Date().toISOString();
  await testApp.store.collection(builderCollections.apps).insertOne({
    _id: appId,
    workspaceId,
    name: 'CRM',
    createdBy: member.me.identity.id,
    createdAt: now,
    updatedAt: now,
    latestVersionId: null,
    latestRunId: null,
    latestRunStatus: null,
  });
  const cipher = createLocalSecretCipher(loadOrCreateSecretKey(join(mkdtempSync(join(tmpdir(), 'hangar-tools-')), 'secret-key')));
  secrets = new SecretService(testApp.store, testApp.services.access, testApp.services.audit, cipher, systemClock);
  await secrets.ensureIndexes();
  const outbound = createSafeHttpClient({
    resolver: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    unsafeTestOverrides: { allowAddresses: (address) => address === '127.0.0.1', ca: testIntegrationCa },
  });
  executor = new ToolExecutor(secrets, outbound, testApp.services.audit);
});
afterAll(async () => {
  await server.close();
  await testApp.close();
});

describe('secrets', () => {
  it('only admins and owners set them; values are write-only', async () => {
    await expect(secrets.set(actorOf(member), workspaceId, appId, 'CRM_TOKEN', 'nope')).rejects.toMatchObject({ status: 403 });
    const summary = await secrets.set(actorOf(owner), workspaceId, appId, 'CRM_TOKEN', secretValue);
    expect(JSON.stringify(summary)).not.toContain(secretValue);
    expect(await secrets.list(actorOf(owner), workspaceId, appId)).toEqual([expect.objectContaining({ name: 'CRM_TOKEN', version: 1 })]);
    await expect(secrets.list(actorOf(member), workspaceId, appId)).rejects.toMatchObject({ status: 403 });
    await expect(secrets.set(actorOf(owner), workspaceId, appId, 'lower', 'x')).rejects.toMatchObject({ status: 400 });
  });

  it('rotation bumps the version and the new value is the one used', async () => {
    await secrets.set(actorOf(owner), workspaceId, appId, 'ROTATING', 'first-value');
    await secrets.set(actorOf(owner), workspaceId, appId, 'ROTATING', 'second-value');
    const { values } = await secrets.resolve(workspaceId, appId, ['ROTATING']);
    expect(values.get('ROTATING')).toBe('second-value');
    expect((await secrets.list(actorOf(owner), workspaceId, appId)).find((item) => item.name === 'ROTATING')?.version).toBe(2);
    await secrets.delete(actorOf(owner), workspaceId, appId, 'ROTATING');
    expect((await secrets.resolve(workspaceId, appId, ['ROTATING'])).missing).toEqual(['ROTATING']);
  });
});

describe('tool executor', () => {
  it('answers mock data while the configuration is not approved, and calls nothing', async () => {
    const before = server.requests.length;
    const result = await executor.execute(call(false));
    expect(result).toMatchObject({ ok: true, mock: true, body: JSON.stringify({ name: 'Acme', employees: 120 }) });
    expect(server.requests.length).toBe(before);
  });

  it('injects the secret in the control plane and returns the redacted answer', async () => {
    await secrets.set(actorOf(owner), workspaceId, appId, 'CRM_TOKEN', secretValue);
    server.handle((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // A careless integration echoes the credential back.
      response.end(JSON.stringify({ name: 'Acme', echoed: request.headers.authorization }));
    });
    const result = await executor.execute(call(true));
    expect(server.requests.at(-1)).toMatchObject({
      url: '/v1/companies?name=Acme+%26+Co',
      headers: { authorization: `Bearer ${secretValue}` },
    });
    expect(result).toMatchObject({ ok: true, mock: false, status: 200, host: 'api.tools.hangar.test' });
    expect(JSON.stringify(result)).not.toContain(secretValue);
    expect(result.ok && result.body).toContain('Bearer [redacted]');
  });

  it('refuses input outside the schema before any call', async () => {
    const before = server.requests.length;
    expect(await executor.execute(call(true, { company: 'A', extra: 1 }))).toMatchObject({ ok: false, category: 'input' });
    expect(await executor.execute(call(true, {}))).toMatchObject({ ok: false, category: 'input', message: '"company" is required.' });
    expect(await executor.execute(call(true, { company: 42 }))).toMatchObject({ ok: false, category: 'input' });
    expect(server.requests.length).toBe(before);
  });

  it('maps answers to categories the agent can act on', async () => {
    for (const [status, category] of [
      [401, 'credential'],
      [403, 'permission'],
      [422, 'input'],
      [429, 'rate_limit'],
      [503, 'provider'],
    ] as const) {
      server.handle((_request, response) => {
        response.writeHead(status);
        response.end('{"error":"x"}');
      });
      expect(await executor.execute(call(true))).toMatchObject({ ok: false, category });
    }
  });

  it('says which secret is missing without calling out', async () => {
    const result = await executor.execute(call(true, { company: 'A' }, { headers: { authorization: 'Bearer {{secrets.NOT_SET}}' } }));
    expect(result).toEqual({
      ok: false,
      category: 'credential',
      message: 'The secret NOT_SET is not set for this app.',
      retryable: false,
      host: 'api.tools.hangar.test',
    });
  });

  it('previews a call with the secret as its placeholder', () => {
    const preview = executor.preview(tool(server.port), { company: 'Acme' });
    expect(preview.headers.authorization).toBe('Bearer {{secrets.CRM_TOKEN}}');
    expect(preview).toMatchObject({ host: 'api.tools.hangar.test', secretNames: ['CRM_TOKEN'] });
  });

  it('audits name, host and outcome of every call, and no audit record holds the secret', async () => {
    const page = await testApp.services.audit.list(workspaceId, {});
    const toolCalls = page.items.filter((event) => event.action === 'agent.tool_called');
    expect(toolCalls.length).toBeGreaterThanOrEqual(5);
    expect(toolCalls[0]).toMatchObject({
      actor: { type: 'agent', id: 'enricher' },
      metadata: { tool: 'lookup_company', host: 'api.tools.hangar.test' },
    });
    const everything = JSON.stringify(await testApp.store.collection('audit_events').find({}, { limit: 1000 }));
    expect(everything).not.toContain(secretValue);
    expect(JSON.stringify(await testApp.store.collection('app_secrets').find({}, { limit: 100 }))).not.toContain(secretValue);
  });
});
