import { accessRulesFileName } from '@hangar/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAppResponse, ServerMessage, WorkspaceSummary } from '@hangar/protocol';
import { startLocalHost, type LocalHost } from '../entrypoints/local-host';
import { RecordingLauncher } from '../http/testing';
import { connectSocket, signInTo, type SignedIn, type SocketPerson as Person } from './socket-testing';

describe('access changes revoke open subscriptions at once (real sockets through the local gateway)', () => {
  let host: LocalHost;
  let dataDir: string;
  const launcher = new RecordingLauncher();
  let owner: Person;
  let admin: Person;
  let member: Person;
  let workspace: WorkspaceSummary;
  let created: CreateAppResponse;

  const signIn = (name: string, email: string) => signInTo(host.url, name, email);
  const connect = (person: SignedIn) => connectSocket(host.url, person);
  const receivedBeforePing = (person: Person, from: number, id: string) => person.receivedBeforePing(from, id);

  const worker = (path: string, body: unknown) => {
    const spec = launcher.launched.find((candidate) => candidate.runId === created.run.id);
    return fetch(`${host.url}/internal/runs/${created.run.id}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spec?.runToken ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  const appendRunEvent = async (text: string) => {
    const answer = await worker('/events', { events: [{ type: 'text.delta', text }] });
    expect(answer.status, await answer.clone().text()).toBe(200);
  };
  const insert = async (person: Person, scope: 'draft' | 'published', name: string) =>
    expect((await person.call('POST', `/api/workspaces/${workspace.id}/apps/${created.app.id}/data/${scope}/leads`, { name })).status).toBe(
      201,
    );
  const subscribeData = async (person: Person, scope: 'draft' | 'published') => {
    const id = `data-${scope}-${person.me.identity.id}`;
    person.send({ type: 'data.subscribe', id, workspaceId: workspace.id, appId: created.app.id, scope, collection: 'leads' });
    expect(await person.next((message) => 'id' in message && message.id === id)).toMatchObject({ type: 'data.subscribed' });
  };
  const subscribeRun = async (person: Person) => {
    const id = `run-${person.me.identity.id}`;
    person.send({ type: 'run.subscribe', id, workspaceId: workspace.id, runId: created.run.id });
    expect(await person.next((message) => 'id' in message && message.id === id)).toMatchObject({ type: 'run.subscribed' });
  };
  const isRevoked = (kind: 'data' | 'run') => (message: ServerMessage) =>
    message.type === 'subscription.revoked' && message.subscription.kind === kind;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-revoke-'));
    host = await startLocalHost({ port: 0, dataDir, launcher, log: () => undefined });
    const olive = await signIn('Olive', 'olive@example.com');
    workspace = (await (await olive.call('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    await olive.call('POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'ada@example.com', role: 'admin' });
    await olive.call('POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'max@example.com', role: 'member' });
    // Signing in accepts the pending invitations.
    const [ada, max] = [await signIn('Ada', 'ada@example.com'), await signIn('Max', 'max@example.com')];
    created = (await (
      await olive.call('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'a tracker for leads' })
    ).json()) as CreateAppResponse;
    expect((await worker('/started', { workerId: 'test-worker', provider: 'scripted', model: 'test' })).status).toBeLessThan(300);
    // Max builds with Olive (a collaborator: he streams its runs); the app is published with its
    // access rules (leads: everyone reads), so published data is the workspace's.
    const w = `/api/workspaces/${workspace.id}`;
    const a = `${w}/apps/${created.app.id}`;
    expect((await olive.call('PUT', `${a}/collaborators`, { userIds: [max.me.identity.id] })).status).toBe(200);
    expect((await worker('/plan', { plan: { title: 'Leads', summary: 'A leads tracker', steps: ['List leads'] } })).status).toBe(204);
    expect((await olive.call('POST', `${w}/runs/${created.run.id}/plan`, { decision: 'accept' })).status).toBe(200);
    const manifest = [];
    for (const [path, text] of Object.entries({
      'index.html': '<!doctype html><p>leads</p>',
      [accessRulesFileName]: JSON.stringify({ version: 1, collections: { leads: { read: 'viewers', write: 'members' } } }),
    })) {
      const spec = launcher.launched.find((candidate) => candidate.runId === created.run.id);
      const bytes = new TextEncoder().encode(text);
      const put = await fetch(`${host.url}/internal/runs/${created.run.id}/blobs`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${spec?.runToken ?? ''}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      manifest.push({ path, sha256: ((await put.json()) as { sha256: string }).sha256, size: bytes.byteLength });
    }
    const version = (await (await worker('/versions', { files: manifest })).json()) as { id: string };
    const review = (await (await olive.call('POST', `${a}/reviews`, { versionId: version.id })).json()) as { id: string };
    expect((await ada.call('POST', `${w}/reviews/${review.id}/decision`, { decision: 'approve' })).status).toBe(200);
    expect((await ada.call('POST', `${a}/publish`, { versionId: version.id })).status).toBe(200);
    [owner, admin, member] = [await connect(olive), await connect(ada), await connect(max)];
    await insert(owner, 'draft', 'first');
    await insert(owner, 'published', 'first');
  });
  afterAll(async () => {
    for (const person of [owner, admin, member]) person.socket.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('demotion from admin ends draft data and the run stream for that person only (not a collaborator); everyone else stays live', async () => {
    await subscribeData(owner, 'draft');
    await subscribeData(admin, 'draft');
    await subscribeRun(admin);
    const from = admin.messages.length;
    expect((await owner.call('PATCH', `/api/workspaces/${workspace.id}/members/${admin.me.identity.id}`, { role: 'member' })).status).toBe(
      200,
    );
    // Revoked before the PATCH answered: the message is already on its way or here.
    const revoked = await admin.next(isRevoked('data'), from);
    expect(revoked).toMatchObject({ subscription: { kind: 'data', appId: created.app.id, scope: 'draft', collection: 'leads' } });
    const ownerFrom = owner.messages.length;
    await insert(owner, 'draft', 'after demotion');
    await owner.next((message) => message.type === 'data.changed', ownerFrom);
    const runRevoked = await admin.next(isRevoked('run'), from);
    expect(runRevoked).toMatchObject({ subscription: { kind: 'run', runId: created.run.id } });
    // Pushed before the append answers (push on append): anything for Ada would precede the ping.
    await appendRunEvent('for builders only');
    const after = await receivedBeforePing(
      admin,
      Math.max(admin.messages.indexOf(revoked), admin.messages.indexOf(runRevoked)) + 1,
      'ping-demoted',
    );
    expect(
      after.filter((message) => message.type === 'data.changed' || message.type === 'data.changes' || message.type === 'run.event'),
    ).toEqual([]);
  });

  it('demotion to viewer ends the run stream (drafts and code diffs) but keeps published data', async () => {
    await subscribeRun(owner);
    await subscribeRun(member);
    await subscribeData(member, 'published');
    const from = member.messages.length;
    expect((await owner.call('PATCH', `/api/workspaces/${workspace.id}/members/${member.me.identity.id}`, { role: 'viewer' })).status).toBe(
      200,
    );
    const revoked = await member.next(isRevoked('run'), from);
    expect(revoked).toMatchObject({ subscription: { kind: 'run', runId: created.run.id } });
    const ownerFrom = owner.messages.length;
    await appendRunEvent('not for viewers');
    await owner.next(
      (message) =>
        message.type === 'run.event' && message.event.event.type === 'text.delta' && message.event.event.text === 'not for viewers',
      ownerFrom,
    );
    await insert(owner, 'published', 'viewers read this');
    await member.next((message) => message.type === 'data.changed', from);
    // Everything after the revocation (the run's backlog came before it).
    const after = await receivedBeforePing(member, member.messages.indexOf(revoked) + 1, 'ping-viewer');
    expect(after.filter((message) => message.type === 'run.event')).toEqual([]);
    expect(after.filter(isRevoked('data'))).toEqual([]);
  });

  it('removal ends every stream of the removed person at once', async () => {
    await subscribeData(admin, 'published');
    const from = admin.messages.length;
    expect((await owner.call('DELETE', `/api/workspaces/${workspace.id}/members/${admin.me.identity.id}`)).status).toBe(204);
    // Her run stream already ended with the demotion: only the published data is left to revoke.
    await admin.next(isRevoked('data'), from);
    const ownerFrom = owner.messages.length;
    await appendRunEvent('after removal');
    await insert(owner, 'published', 'after removal');
    await owner.next((message) => message.type === 'run.event', ownerFrom);
    await member.next((message) => message.type === 'data.changed' && message.change.document?.['name'] === 'after removal');
    const after = await receivedBeforePing(admin, from, 'ping-removed');
    expect(after.map((message) => message.type)).toEqual(['subscription.revoked']);
    // Subscribing again is refused like any stranger's request.
    admin.send({ type: 'run.subscribe', id: 'again', workspaceId: workspace.id, runId: created.run.id });
    expect(await admin.next((message) => 'id' in message && message.id === 'again')).toMatchObject({
      type: 'session.error',
      code: 'not_found',
    });
  });
});
