import { accessRulesFileName, agentsFilePath, AgentCatalog } from '@hangar/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentsConfigResponse, CreateAppResponse, Run, ServerMessage, WorkspaceSummary } from '@hangar/protocol';
import { startLocalHost, type LocalHost } from '../entrypoints/local-host';
import { RecordingLauncher } from '../http/testing';
import { connectSocket, signInTo, type SocketPerson as Person } from './socket-testing';
import { leadEnricherDocument } from '../../../protocol/src/agents-example.test-support';

const agentsDocument = leadEnricherDocument({ triggers: [{ type: 'manual' }] });

describe('agent run streams: the person who triggered a published agent follows its run, until access goes (real sockets)', () => {
  let host: LocalHost;
  let dataDir: string;
  const launcher = new RecordingLauncher();
  let olive: Person;
  let ada: Person;
  let max: Person;
  let vic: Person;
  let workspace: WorkspaceSummary;
  let created: CreateAppResponse;
  const app = () => `/api/workspaces/${workspace.id}/apps/${created.app.id}`;

  const signIn = async (name: string, email: string): Promise<Person> => connectSocket(host.url, await signInTo(host.url, name, email));

  const worker = (runId: string) => async (method: string, path: string, body?: unknown) => {
    const spec = launcher.launched.find((candidate) => candidate.runId === runId);
    const response = await fetch(`${host.url}/internal/runs/${runId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${spec?.runToken ?? ''}`,
        'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json',
      },
      ...(body === undefined ? {} : { body: body instanceof Uint8Array ? body : JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };

  /** Subscribes to a run's stream; resolves with the answer (`run.subscribed` or the refusal). */
  const subscribeRun = async (person: Person, runId: string, id: string) => {
    person.send({ type: 'run.subscribe', id, workspaceId: workspace.id, runId });
    return person.next((message) => 'id' in message && message.id === id);
  };
  const isRunEvent = (runId: string, type: string) => (message: ServerMessage) =>
    message.type === 'run.event' && message.runId === runId && message.event.event.type === type;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-agent-stream-'));
    host = await startLocalHost({ port: 0, dataDir, launcher, log: () => undefined });
    olive = await signIn('Olive', 'olive@example.com');
    workspace = (await (await olive.call('POST', '/api/workspaces', { name: 'Sales' })).json()) as WorkspaceSummary;
    const w = `/api/workspaces/${workspace.id}`;
    for (const [email, role] of [
      ['ada@example.com', 'admin'],
      ['max@example.com', 'member'],
      ['vic@example.com', 'viewer'],
    ])
      expect((await olive.call('POST', `${w}/invitations`, { email, role })).status).toBe(201);
    // Signing in accepts the pending invitations.
    [ada, max, vic] = [
      await signIn('Ada', 'ada@example.com'),
      await signIn('Max', 'max@example.com'),
      await signIn('Vic', 'vic@example.com'),
    ];
    created = (await (
      await olive.call('POST', `${w}/apps`, { prompt: 'a leads tracker with a company lookup agent' })
    ).json()) as CreateAppResponse;
    const build = worker(created.run.id);
    await build('POST', '/started', { workerId: 'test-worker', provider: 'scripted', model: 'test' });
    await build('POST', '/plan', { plan: { title: 'Leads', summary: 'A leads tracker', steps: ['List leads'] } });
    expect((await olive.call('POST', `${w}/runs/${created.run.id}/plan`, { decision: 'accept' })).status).toBe(200);
    const manifest = [];
    for (const [path, text] of Object.entries({
      'index.html': '<!doctype html><p>leads</p>',
      [accessRulesFileName]: JSON.stringify({ version: 1, collections: { leads: { read: 'viewers', write: 'members' } } }),
      [agentsFilePath]: JSON.stringify(agentsDocument),
    })) {
      const bytes = new TextEncoder().encode(text);
      const put = await build('PUT', '/blobs', bytes);
      manifest.push({ path, sha256: ((await put.json()) as { sha256: string }).sha256, size: bytes.byteLength });
    }
    const version = (await (await build('POST', '/versions', { files: manifest })).json()) as { id: string };
    // An admin approves the agents, the version is reviewed and published: viewers use it with its agents.
    const config = (await (await ada.call('GET', `${app()}/agents`)).json()) as AgentsConfigResponse;
    expect(config.validation.valid, JSON.stringify(config.validation)).toBe(true);
    expect((await ada.call('POST', `${app()}/agents/approve`, { hash: config.hash })).status).toBe(200);
    const review = (await (await olive.call('POST', `${app()}/reviews`, { versionId: version.id })).json()) as { id: string };
    expect((await ada.call('POST', `${w}/reviews/${review.id}/decision`, { decision: 'approve' })).status).toBe(200);
    expect((await ada.call('POST', `${app()}/publish`, { versionId: version.id })).status).toBe(200);
  });
  afterAll(async () => {
    for (const person of [olive, ada, max, vic]) person.socket.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a viewer lists the published agents, triggers one, follows its run live; others may not; unpublishing ends the stream', async () => {
    const catalog = AgentCatalog.parse(await (await vic.call('GET', `${app()}/agents/catalog?scope=published`)).json());
    expect(catalog.items).toEqual([
      { id: 'enricher', name: 'Lead enricher', description: agentsDocument.agents[0]?.description, manualTrigger: true, live: true },
    ]);
    expect((await vic.call('GET', `${app()}/agents/catalog?scope=draft`)).status).toBe(403);
    expect((await vic.call('GET', `${app()}/agents/catalog?scope=elsewhere`)).status).toBe(400);

    const started = await vic.call('POST', `${app()}/agents/enricher/runs`, { input: { company: 'Acme' }, scope: 'published' });
    expect(started.status, await started.clone().text()).toBe(201);
    const run = (await started.json()) as Run;
    const agent = worker(run.id);

    expect(await subscribeRun(vic, run.id, 'vic-run')).toMatchObject({ type: 'run.subscribed', runId: run.id });
    await vic.next(isRunEvent(run.id, 'run.queued'));
    await agent('POST', '/started', { workerId: 'agent-worker', provider: 'offline', model: 'offline-agent' });
    await vic.next(isRunEvent(run.id, 'run.started'));
    // Admins read every run; a member who did not trigger it, and the viewer on a builder run, do not.
    expect(await subscribeRun(ada, run.id, 'ada-run')).toMatchObject({ type: 'run.subscribed' });
    expect(await subscribeRun(max, run.id, 'max-run')).toMatchObject({ type: 'session.error', code: 'not_found' });
    expect(await subscribeRun(vic, created.run.id, 'vic-build')).toMatchObject({ type: 'session.error', code: 'not_found' });

    await agent('POST', '/events', { events: [{ type: 'text.delta', text: 'Looking up Acme' }] });
    await vic.next((message) => message.type === 'run.event' && message.event.event.type === 'text.delta');

    // Losing access: the app is unpublished, so the viewer may no longer use it or its agent.
    const from = vic.messages.length;
    expect((await ada.call('POST', `${app()}/unpublish`)).status).toBe(200);
    const revoked = await vic.next((message) => message.type === 'subscription.revoked', from);
    expect(revoked).toMatchObject({ subscription: { kind: 'run', runId: run.id } });
    const adaFrom = ada.messages.length;
    await agent('POST', '/events', { events: [{ type: 'text.delta', text: 'after unpublishing' }] });
    await ada.next(
      (message) =>
        message.type === 'run.event' && message.event.event.type === 'text.delta' && message.event.event.text === 'after unpublishing',
      adaFrom,
    );
    const after = await vic.receivedBeforePing(vic.messages.indexOf(revoked) + 1, 'ping-after-unpublish');
    expect(after.filter((message) => message.type === 'run.event')).toEqual([]);
    // Subscribing again is refused like any stranger's request.
    expect(await subscribeRun(vic, run.id, 'vic-again')).toMatchObject({ type: 'session.error', code: 'not_found' });
    expect((await vic.call('GET', `${app()}/agents/catalog?scope=published`)).status).toBe(403);
  });
});
