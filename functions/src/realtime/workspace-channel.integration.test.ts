import {
  accessRulesFileName,
  type CreateAppResponse,
  type ServerMessage,
  type WorkspaceEventKind,
  type WorkspaceSummary,
} from '@hangar/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../entrypoints/local-host';
import { RecordingLauncher } from '../http/testing';
import { connectSocket, signInTo, type SocketPerson } from './socket-testing';

const eventsOf = (messages: ServerMessage[]) => messages.flatMap((message) => (message.type === 'workspace.event' ? [message.event] : []));

describe('the workspace channel of the live console (real sockets through the local gateway)', () => {
  let host: LocalHost;
  let dataDir: string;
  const launcher = new RecordingLauncher();
  let owner: SocketPerson;
  let admin: SocketPerson;
  let member: SocketPerson;
  let viewer: SocketPerson;
  let foreign: SocketPerson;
  let workspace: WorkspaceSummary;
  let created: CreateAppResponse;
  let w: string;
  let a: string;

  const subscribe = async (person: SocketPerson, workspaceId = workspace.id) => {
    const id = `ws-${person.me.identity.id}-${person.messages.length}`;
    person.send({ type: 'workspace.subscribe', id, workspaceId });
    return person.next((message) => 'id' in message && message.id === id);
  };
  /** Waits until `person` hears of `kind` after `from`. */
  const hears = (person: SocketPerson, kind: WorkspaceEventKind, from: number) =>
    person.next((message) => message.type === 'workspace.event' && message.event.kind === kind, from);
  /** How many messages each person had now: `from(person)` is where to look for what follows. */
  const marks = () => {
    const counts = new Map([owner, admin, member, viewer, foreign].map((person) => [person, person.messages.length]));
    return (person: SocketPerson) => counts.get(person) ?? 0;
  };
  const worker = (path: string, body: unknown) => {
    const spec = launcher.launched.find((candidate) => candidate.runId === created.run.id);
    return fetch(`${host.url}/internal/runs/${created.run.id}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${spec?.runToken ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  const recordVersion = async (files: Record<string, string>) => {
    const spec = launcher.launched.find((candidate) => candidate.runId === created.run.id);
    const manifest = [];
    for (const [path, text] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(text);
      const put = await fetch(`${host.url}/internal/runs/${created.run.id}/blobs`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${spec?.runToken ?? ''}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      manifest.push({ path, sha256: ((await put.json()) as { sha256: string }).sha256, size: bytes.byteLength });
    }
    const answer = await worker('/versions', { files: manifest });
    expect(answer.status, await answer.clone().text()).toBeLessThan(300);
    return (await answer.json()) as { id: string };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-channel-'));
    host = await startLocalHost({ port: 0, dataDir, launcher, log: () => undefined });
    const olive = await signInTo(host.url, 'Olive', 'olive@example.com');
    workspace = (await (await olive.call('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    w = `/api/workspaces/${workspace.id}`;
    for (const [email, role] of [
      ['ada@example.com', 'admin'],
      ['max@example.com', 'member'],
      ['vic@example.com', 'viewer'],
    ])
      expect((await olive.call('POST', `${w}/invitations`, { email, role })).status).toBe(201);
    const ada = await signInTo(host.url, 'Ada', 'ada@example.com');
    const max = await signInTo(host.url, 'Max', 'max@example.com');
    const vic = await signInTo(host.url, 'Vic', 'vic@example.com');
    const fay = await signInTo(host.url, 'Fay', 'fay@example.com');
    expect((await fay.call('POST', '/api/workspaces', { name: 'Elsewhere' })).status).toBe(201);
    owner = await connectSocket(host.url, olive);
    admin = await connectSocket(host.url, ada);
    member = await connectSocket(host.url, max);
    viewer = await connectSocket(host.url, vic);
    foreign = await connectSocket(host.url, fay);
    for (const person of [owner, admin, member, viewer]) expect(await subscribe(person)).toMatchObject({ type: 'workspace.subscribed' });
  });
  afterAll(async () => {
    for (const person of [owner, admin, member, viewer, foreign]) person.socket.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a member hears of their own role change, and so does the rest of the workspace', async () => {
    const from = marks();
    expect((await owner.call('PATCH', `${w}/members/${member.me.identity.id}`, { role: 'admin' })).status).toBe(200);
    const heard = await hears(member, 'member.role_changed', from(member));
    expect(heard).toEqual({
      type: 'workspace.event',
      workspaceId: workspace.id,
      event: { kind: 'member.role_changed', targetId: member.me.identity.id, at: expect.any(String) as string },
    });
    await hears(viewer, 'member.role_changed', from(viewer));
    await hears(admin, 'member.role_changed', from(admin));
    // Back to member for what follows.
    expect((await owner.call('PATCH', `${w}/members/${member.me.identity.id}`, { role: 'member' })).status).toBe(200);
    await hears(member, 'member.role_changed', from(member) + 1);
  });

  it('events of a draft app reach its builders only; a viewer and a non-collaborating member hear nothing of it', async () => {
    const from = marks();
    const response = await owner.call('POST', `${w}/apps`, { prompt: 'a tracker for leads' });
    expect(response.status).toBe(201);
    created = (await response.json()) as CreateAppResponse;
    a = `${w}/apps/${created.app.id}`;
    await hears(admin, 'app.created', from(admin));
    expect((await worker('/started', { workerId: 'test-worker', provider: 'scripted', model: 'test' })).status).toBeLessThan(300);
    expect((await worker('/plan', { plan: { title: 'Leads', summary: 'A leads tracker', steps: ['List leads'] } })).status).toBe(204);
    expect((await owner.call('POST', `${w}/runs/${created.run.id}/plan`, { decision: 'accept' })).status).toBe(200);
    const version = await recordVersion({
      'index.html': '<!doctype html><p>leads</p>',
      [accessRulesFileName]: JSON.stringify({ version: 1, collections: { leads: { read: 'viewers', write: 'members' } } }),
    });
    expect((await owner.call('PATCH', a, { name: 'Lead tracker' })).status).toBe(200);
    const review = (await (await owner.call('POST', `${a}/reviews`, { versionId: version.id })).json()) as { id: string };
    // The admin, a builder of every app, hears each step, in order, with ids only.
    await hears(admin, 'review.requested', from(admin));
    await hears(owner, 'review.requested', from(owner));
    expect(eventsOf(admin.messages.slice(from(admin)))).toEqual([
      { kind: 'app.created', appId: created.app.id, at: expect.any(String) as string },
      { kind: 'version.created', appId: created.app.id, targetId: version.id, at: expect.any(String) as string },
      { kind: 'app.renamed', appId: created.app.id, at: expect.any(String) as string },
      { kind: 'review.requested', appId: created.app.id, targetId: review.id, at: expect.any(String) as string },
    ]);
    for (const [person, id] of [
      [viewer, 'ping-viewer-draft'],
      [member, 'ping-member-draft'],
    ] as const) {
      const received = await person.receivedBeforePing(from(person), id);
      expect(received.filter((message) => message.type === 'workspace.event')).toEqual([]);
    }

    // Published, the app is everyone's: the viewer hears of it, then of the unpublish that hides it again.
    const viewerFrom = viewer.messages.length;
    expect((await admin.call('POST', `${w}/reviews/${review.id}/decision`, { decision: 'approve' })).status).toBe(200);
    expect((await admin.call('POST', `${a}/publish`, { versionId: version.id })).status).toBe(200);
    await hears(viewer, 'app.published', viewerFrom);
    expect((await admin.call('POST', `${a}/unpublish`)).status).toBe(200);
    await hears(viewer, 'app.unpublished', viewerFrom);
    expect(eventsOf(viewer.messages.slice(viewerFrom)).map((event) => [event.kind, event.appId])).toEqual([
      ['app.published', created.app.id],
      ['app.unpublished', created.app.id],
    ]);
    // Unpublished, it is a draft again: a rename reaches builders, not the viewer.
    const again = marks();
    expect((await owner.call('PATCH', a, { name: 'Leads (draft)' })).status).toBe(200);
    await hears(admin, 'app.renamed', again(admin));
    const received = await viewer.receivedBeforePing(again(viewer), 'ping-viewer-unpublished');
    expect(received.filter((message) => message.type === 'workspace.event')).toEqual([]);
  });

  it('another workspace cannot be followed: the refusal reveals nothing and nothing arrives', async () => {
    const from = foreign.messages.length;
    expect(await subscribe(foreign)).toMatchObject({ type: 'session.error', code: 'not_found', message: 'Workspace not found.' });
    expect((await owner.call('PATCH', a, { name: 'Leads again' })).status).toBe(200);
    await hears(owner, 'app.renamed', owner.messages.length - 1);
    const received = await foreign.receivedBeforePing(from, 'ping-foreign');
    expect(received.filter((message) => message.type === 'workspace.event')).toEqual([]);
  });

  it('a removed member’s channel ends at once: revoked before the DELETE answers, nothing after, and no way back in', async () => {
    const from = marks();
    expect((await owner.call('DELETE', `${w}/members/${viewer.me.identity.id}`)).status).toBe(204);
    const revoked = await viewer.next((message) => message.type === 'subscription.revoked', from(viewer));
    expect(revoked).toMatchObject({ subscription: { kind: 'workspace', workspaceId: workspace.id } });
    // The others hear of the removal; the removed person does not.
    await hears(member, 'member.removed', from(member));
    expect((await owner.call('PATCH', `${w}/members/${member.me.identity.id}`, { role: 'admin' })).status).toBe(200);
    await hears(member, 'member.role_changed', from(member));
    const after = await viewer.receivedBeforePing(viewer.messages.indexOf(revoked) + 1, 'ping-removed');
    expect(after.filter((message) => message.type === 'workspace.event')).toEqual([]);
    expect(await subscribe(viewer)).toMatchObject({ type: 'session.error', code: 'not_found' });
  });
});
