import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDocument, AuditEvent, CreateAppResponse, DataPage, WorkspaceSummary } from '@hangar/protocol';
import type { RunLauncher } from '../ports/run-launcher';
import { createTestApp, type TestClient } from './testing';

const launcher: RunLauncher = { kind: 'none', launch: () => Promise.resolve(), stop: () => Promise.resolve() };
type Caller = 'creator' | 'owner' | 'admin' | 'otherMember' | 'viewer' | 'foreign';

describe('data API', () => {
  let blobDir: string;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let clients: Record<Caller, TestClient>;
  let workspace: WorkspaceSummary;
  let appId: string;
  const base = (scope = 'draft', collection = 'leads') => `/api/workspaces/${workspace.id}/apps/${appId}/data/${scope}/${collection}`;

  beforeEach(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-data-'));
    test = await createTestApp({ builder: { launcher, blobDir } });
    const owner = await test.signIn('Olive', 'olive@example.com');
    const admin = await test.signIn('Adam', 'adam@example.com');
    const creator = await test.signIn('Cleo', 'cleo@example.com');
    const otherMember = await test.signIn('Mo', 'mo@example.com');
    const viewer = await test.signIn('Vic', 'vic@example.com');
    const foreign = await test.signIn('Fay', 'fay@example.com');
    workspace = await test.workspaceWith(owner, [
      [admin, 'admin'],
      [creator, 'member'],
      [otherMember, 'member'],
      [viewer, 'viewer'],
    ]);
    await test.workspaceWith(foreign, []);
    clients = { creator, owner, admin, otherMember, viewer, foreign };
    const created = (await (
      await creator.request('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: 'A tracker for leads' })
    ).json()) as CreateAppResponse;
    appId = created.app.id;
  });
  afterEach(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const expectations: Record<'draft' | 'published', Record<'read' | 'write', Record<Caller, number>>> = {
    draft: {
      read: { creator: 200, owner: 200, admin: 200, otherMember: 403, viewer: 403, foreign: 404 },
      write: { creator: 201, owner: 201, admin: 201, otherMember: 403, viewer: 403, foreign: 404 },
    },
    // Before the app is published its published scope is the builders' (it can be seeded); the
    // approved access rules take over at publish (api-access-rules.test.ts).
    published: {
      read: { creator: 200, owner: 200, admin: 200, otherMember: 403, viewer: 403, foreign: 404 },
      write: { creator: 201, owner: 201, admin: 201, otherMember: 403, viewer: 403, foreign: 404 },
    },
  };
  for (const scope of ['draft', 'published'] as const) {
    for (const caller of Object.keys(expectations.draft.read) as Caller[]) {
      it(`${scope} data: ${caller} reads ${expectations[scope].read[caller]}, writes ${expectations[scope].write[caller]}`, async () => {
        const client = clients[caller];
        expect((await client.request('POST', base(scope), { name: 'Ada' })).status).toBe(expectations[scope].write[caller]);
        expect((await client.request('GET', base(scope))).status).toBe(expectations[scope].read[caller]);
      });
    }
  }

  it('inserts, lists with filter/sort/limit/cursor, gets, patches (merge) and deletes', async () => {
    const { creator } = clients;
    const names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'];
    for (const [index, name] of names.entries()) {
      const response = await creator.request('POST', base(), {
        name,
        score: index * 10,
        status: index % 2 ? 'Won' : 'New',
        address: { city: index < 2 ? 'London' : 'Paris' },
      });
      expect(response.status).toBe(201);
    }
    const query = (q: unknown) => `${base()}?query=${encodeURIComponent(JSON.stringify(q))}`;
    const page = (await (
      await creator.request('GET', query({ filter: { status: 'New', score: { $gte: 10 } }, sort: { score: -1 } }))
    ).json()) as DataPage;
    expect(page.items.map((item) => item.name)).toEqual(['Barbara', 'Alan']);
    const dotted = (await (
      await creator.request('GET', query({ filter: { $or: [{ 'address.city': 'London' }, { name: { $in: ['Edsger'] } }] } }))
    ).json()) as DataPage;
    expect(dotted.items.map((item) => item.name).sort()).toEqual(['Ada', 'Edsger', 'Grace']);
    const first = (await (await creator.request('GET', query({ sort: { name: 1 }, limit: 2 }))).json()) as DataPage;
    const second = (await (
      await creator.request('GET', query({ sort: { name: 1 }, limit: 2, cursor: first.nextCursor }))
    ).json()) as DataPage;
    expect([...first.items, ...second.items].map((item) => item.name)).toEqual(['Ada', 'Alan', 'Barbara', 'Edsger']);

    const ada = first.items[0] as AppDocument;
    const patched = (await (await creator.request('PATCH', `${base()}/${ada._id}`, { status: 'Won', note: 'met' })).json()) as AppDocument;
    expect(patched).toMatchObject({ _id: ada._id, name: 'Ada', status: 'Won', note: 'met', _createdAt: ada._createdAt });
    expect((await creator.request('GET', `${base()}/${ada._id}`)).status).toBe(200);
    expect((await creator.request('DELETE', `${base()}/${ada._id}`)).status).toBe(204);
    expect((await creator.request('GET', `${base()}/${ada._id}`)).status).toBe(404);
    const collections = (await (await creator.request('GET', `/api/workspaces/${workspace.id}/apps/${appId}/data/draft`)).json()) as {
      items: { name: string; count: number }[];
    };
    expect(collections.items).toEqual([{ name: 'leads', count: 4 }]);
    // Reading a collection nobody wrote to leaves no trace in the list.
    expect(((await (await creator.request('GET', base('draft', 'notes'))).json()) as DataPage).items).toEqual([]);
    const again = (await (await creator.request('GET', `/api/workspaces/${workspace.id}/apps/${appId}/data/draft`)).json()) as {
      items: { name: string }[];
    };
    expect(again.items.map((item) => item.name)).toEqual(['leads']);
    // Draft and published data are separate.
    expect(((await (await creator.request('GET', base('published'))).json()) as DataPage).items).toEqual([]);
  });

  it('audits every write with field names and hashes, never values', async () => {
    const { creator, owner } = clients;
    const created = (await (await creator.request('POST', base(), { name: 'Secret Person', phone: '555-0100' })).json()) as AppDocument;
    await creator.request('PATCH', `${base()}/${created._id}`, { phone: '555-0199' });
    const events = (await (await owner.request('GET', `/api/workspaces/${workspace.id}/audit-events?action=data.*`)).json()) as {
      items: AuditEvent[];
    };
    expect(events.items.map((event) => event.action)).toEqual(['data.updated', 'data.inserted']);
    expect(events.items[0]?.metadata).toMatchObject({
      collection: 'leads',
      scope: 'draft',
      fields: ['phone'],
      beforeHash: expect.stringMatching(/^sha256:/) as unknown,
      afterHash: expect.stringMatching(/^sha256:/) as unknown,
    });
    expect(JSON.stringify(events.items)).not.toMatch(/Secret Person|555-01/);
  });

  it('refuses bad input with 4xx and never a 500', async () => {
    const { creator } = clients;
    const query = (q: unknown) => `${base()}?query=${encodeURIComponent(JSON.stringify(q))}`;
    const refused: [string, string, unknown?][] = [
      ['GET', query({ filter: { name: { $where: 'sleep(1000)' } } })],
      ['GET', query({ filter: { name: { $regex: '(a+)+$' } } })],
      ['GET', query({ filter: { $where: 'true' } })],
      ['GET', query({ filter: { $expr: {} } })],
      ['GET', query({ filter: { 'bad path!': 1 } })],
      ['GET', query({ filter: { name: { $in: Array.from({ length: 500 }, (_, i) => i) } } })],
      ['GET', query({ sort: { a: 1, b: 1, c: 1, d: 1 } })],
      ['GET', query({ limit: 100000 })],
      ['GET', query({ cursor: 'garbage' })],
      ['GET', `${base()}?query=%7Bnot-json`],
      ['GET', `${base()}?unknown=1`],
      ['GET', base('draft', '1-starts-with-digit')],
      ['GET', base('draft', 'x'.repeat(100))],
      ['POST', base(), { $set: { admin: true } }],
      ['POST', base(), { 'a.b': 1 }],
      ['POST', base(), { _createdAt: 'yesterday' }],
      ['POST', base(), { _id: 'has spaces' }],
      ['POST', base(), [1, 2, 3]],
      ['POST', base(), JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) as unknown],
      ['POST', base(), { blob: 'x'.repeat(300 * 1024) }],
      ['POST', base(), '{"name":'],
    ];
    for (const [method, path, body] of refused) {
      const response = await creator.request(method, path, body);
      expect(response.status, `${method} ${path.slice(0, 120)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path.slice(0, 120)}`).toBeLessThan(500);
      const json = (await response.json()) as { error: { code: string; message: string } };
      expect(json.error.message.length).toBeGreaterThan(0);
    }
    expect((await creator.request('GET', base('staging'))).status).toBe(404);
  });
});
