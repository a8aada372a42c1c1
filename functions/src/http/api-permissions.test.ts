import { afterEach, describe, expect, it } from 'vitest';
import type { Invitation, WorkspaceSummary } from '@hangar/protocol';
import { createTestApp, type TestApp, type TestClient } from './testing';

type Caller = 'owner' | 'admin' | 'member' | 'viewer' | 'foreignAdmin' | 'anonymous';

interface World {
  test: TestApp;
  clients: Record<Exclude<Caller, 'anonymous'>, TestClient>;
  target: TestClient;
  workspace: WorkspaceSummary;
  pending: Invitation;
}

async function world(): Promise<World> {
  const test = await createTestApp();
  const owner = await test.signIn('Olive Owner', 'olive@example.com');
  const admin = await test.signIn('Adam Admin', 'adam@example.com');
  const member = await test.signIn('Mia Member', 'mia@example.com');
  const viewer = await test.signIn('Vic Viewer', 'vic@example.com');
  const target = await test.signIn('Tess Target', 'tess@example.com');
  const foreignAdmin = await test.signIn('Fay Foreign', 'fay@example.com');
  const workspace = await test.workspaceWith(owner, [
    [admin, 'admin'],
    [member, 'member'],
    [viewer, 'viewer'],
    [target, 'member'],
  ]);
  // The foreign admin administers a workspace of their own, and nothing here.
  await test.workspaceWith(foreignAdmin, []);
  const invited = await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, {
    email: 'pending@example.com',
    role: 'member',
  });
  const pending = (await invited.json()) as Invitation;
  return { test, clients: { owner, admin, member, viewer, foreignAdmin }, target, workspace, pending };
}

const anonymous = async (w: World, method: string, path: string, body?: unknown) =>
  await w.test.app.request(`http://hangar.test${path}`, {
    method,
    headers: { origin: 'http://hangar.test', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

interface RouteCase {
  name: string;
  call: (w: World, client: TestClient | null) => Promise<Response>;
  expected: Record<Caller, number>;
}

const send = (w: World, client: TestClient | null, method: string, path: string, body?: unknown) =>
  client ? client.request(method, path, body) : anonymous(w, method, path, body);

const readers = { owner: 200, admin: 200, member: 200, viewer: 200, foreignAdmin: 404, anonymous: 401 };
const adminsOnly = (ok: number) => ({ owner: ok, admin: ok, member: 403, viewer: 403, foreignAdmin: 404, anonymous: 401 });

const routes: RouteCase[] = [
  { name: 'GET workspace', call: (w, c) => send(w, c, 'GET', `/api/workspaces/${w.workspace.id}`), expected: readers },
  {
    name: 'PATCH workspace',
    call: (w, c) => send(w, c, 'PATCH', `/api/workspaces/${w.workspace.id}`, { name: 'Renamed' }),
    expected: adminsOnly(200),
  },
  { name: 'GET members', call: (w, c) => send(w, c, 'GET', `/api/workspaces/${w.workspace.id}/members`), expected: readers },
  {
    name: 'PATCH member role',
    call: (w, c) => send(w, c, 'PATCH', `/api/workspaces/${w.workspace.id}/members/${w.target.me.identity.id}`, { role: 'viewer' }),
    expected: adminsOnly(200),
  },
  {
    name: 'DELETE member',
    call: (w, c) => send(w, c, 'DELETE', `/api/workspaces/${w.workspace.id}/members/${w.target.me.identity.id}`),
    expected: adminsOnly(204),
  },
  {
    name: 'GET invitations',
    call: (w, c) => send(w, c, 'GET', `/api/workspaces/${w.workspace.id}/invitations`),
    expected: adminsOnly(200),
  },
  {
    name: 'POST invitation',
    call: (w, c) => send(w, c, 'POST', `/api/workspaces/${w.workspace.id}/invitations`, { email: 'new@example.com', role: 'member' }),
    expected: adminsOnly(201),
  },
  {
    name: 'DELETE invitation',
    call: (w, c) => send(w, c, 'DELETE', `/api/workspaces/${w.workspace.id}/invitations/${w.pending.id}`),
    expected: adminsOnly(204),
  },
  {
    name: 'GET audit events',
    call: (w, c) => send(w, c, 'GET', `/api/workspaces/${w.workspace.id}/audit-events`),
    expected: adminsOnly(200),
  },
];

const callers: Caller[] = ['owner', 'admin', 'member', 'viewer', 'foreignAdmin', 'anonymous'];

describe('every route answers each role as the permission table says', () => {
  let current: World | null = null;
  afterEach(async () => {
    await current?.test.close();
    current = null;
  });
  for (const route of routes) {
    for (const caller of callers) {
      it(`${route.name} as ${caller} → ${route.expected[caller]}`, async () => {
        current = await world();
        const client = caller === 'anonymous' ? null : current.clients[caller];
        const response = await route.call(current, client);
        expect(response.status).toBe(route.expected[caller]);
        if (response.status >= 400) {
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe({ 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[response.status]);
          expect(body.error.message).toEqual(expect.any(String));
        }
      });
    }
  }
});

describe('membership rules', () => {
  let w: World;
  afterEach(() => w.test.close());

  it('an admin cannot touch owners or grant the owner role', async () => {
    w = await world();
    const ws = w.workspace.id;
    const { admin, owner } = w.clients;
    expect((await admin.request('PATCH', `/api/workspaces/${ws}/members/${owner.me.identity.id}`, { role: 'member' })).status).toBe(403);
    expect((await admin.request('PATCH', `/api/workspaces/${ws}/members/${w.target.me.identity.id}`, { role: 'owner' })).status).toBe(403);
    expect((await admin.request('POST', `/api/workspaces/${ws}/invitations`, { email: 'boss@example.com', role: 'owner' })).status).toBe(
      403,
    );
    expect((await admin.request('DELETE', `/api/workspaces/${ws}/members/${owner.me.identity.id}`)).status).toBe(403);
  });

  it('nobody changes their own role, not even an owner', async () => {
    w = await world();
    const { owner, admin } = w.clients;
    expect(
      (await owner.request('PATCH', `/api/workspaces/${w.workspace.id}/members/${owner.me.identity.id}`, { role: 'admin' })).status,
    ).toBe(403);
    expect(
      (await admin.request('PATCH', `/api/workspaces/${w.workspace.id}/members/${admin.me.identity.id}`, { role: 'owner' })).status,
    ).toBe(403);
  });

  it('the last owner cannot leave; after promoting another owner they can', async () => {
    w = await world();
    const ws = w.workspace.id;
    const { owner, admin } = w.clients;
    const blocked = await owner.request('DELETE', `/api/workspaces/${ws}/members/${owner.me.identity.id}`);
    expect(blocked.status).toBe(409);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await owner.request('PATCH', `/api/workspaces/${ws}/members/${admin.me.identity.id}`, { role: 'owner' })).status).toBe(200);
    expect((await owner.request('DELETE', `/api/workspaces/${ws}/members/${owner.me.identity.id}`)).status).toBe(204);
    expect((await owner.request('GET', `/api/workspaces/${ws}`)).status).toBe(404);
  });

  it('a member may leave; a viewer may not remove others', async () => {
    w = await world();
    const ws = w.workspace.id;
    const { member, viewer } = w.clients;
    expect((await viewer.request('DELETE', `/api/workspaces/${ws}/members/${member.me.identity.id}`)).status).toBe(403);
    expect((await member.request('DELETE', `/api/workspaces/${ws}/members/${member.me.identity.id}`)).status).toBe(204);
  });

  it('a denied attempt is audited with outcome denied', async () => {
    w = await world();
    await w.clients.member.request('PATCH', `/api/workspaces/${w.workspace.id}`, { name: 'Mine now' });
    const response = await w.clients.owner.request('GET', `/api/workspaces/${w.workspace.id}/audit-events?outcome=denied`);
    const page = (await response.json()) as { items: { action: string; actor: { id: string } }[] };
    expect(page.items.map((event) => [event.action, event.actor.id])).toContainEqual(['workspace.update', w.clients.member.me.identity.id]);
  });

  it('listing workspaces shows only mine, with my role', async () => {
    w = await world();
    const response = await w.clients.viewer.request('GET', '/api/workspaces');
    const page = (await response.json()) as { items: WorkspaceSummary[] };
    expect(page.items).toEqual([expect.objectContaining({ id: w.workspace.id, role: 'viewer', memberCount: 5 })]);
    const foreign = (await (await w.clients.foreignAdmin.request('GET', '/api/workspaces')).json()) as { items: WorkspaceSummary[] };
    expect(foreign.items.map((item) => item.id)).not.toContain(w.workspace.id);
  });
});
