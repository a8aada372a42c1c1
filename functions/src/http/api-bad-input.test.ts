import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits, type WorkspaceSummary } from '@hangar/protocol';
import { createTestApp, type TestApp, type TestClient } from './testing';

/** Every route that takes a body, with one valid body for it. */
interface BodyRoute {
  method: string;
  path: (w: string, u: string) => string;
  valid: Record<string, unknown>;
  wrongTypes: Record<string, unknown>;
}

const bodyRoutes: BodyRoute[] = [
  {
    method: 'POST',
    path: () => '/api/auth/sign-in',
    valid: { name: 'Zed', email: 'zed@example.com' },
    wrongTypes: { name: 42, email: ['x'] },
  },
  { method: 'POST', path: () => '/api/auth/switch', valid: { identityId: 'usr_abc' }, wrongTypes: { identityId: 7 } },
  { method: 'POST', path: () => '/api/workspaces', valid: { name: 'Ops' }, wrongTypes: { name: { nested: true } } },
  { method: 'PATCH', path: (w) => `/api/workspaces/${w}`, valid: { name: 'Ops 2' }, wrongTypes: { name: null } },
  { method: 'PATCH', path: (w, u) => `/api/workspaces/${w}/members/${u}`, valid: { role: 'viewer' }, wrongTypes: { role: 'superuser' } },
  {
    method: 'POST',
    path: (w) => `/api/workspaces/${w}/invitations`,
    valid: { email: 'new@example.com', role: 'member' },
    wrongTypes: { email: 'not-an-email', role: 'member' },
  },
];

/** Every GET route with a query it must refuse. */
const queryRoutes = [
  (w: string) => `/api/workspaces/${w}/audit-events?unknown=1`,
  (w: string) => `/api/workspaces/${w}/audit-events?limit=0`,
  (w: string) => `/api/workspaces/${w}/audit-events?limit=99999`,
  (w: string) => `/api/workspaces/${w}/audit-events?outcome=maybe`,
  (w: string) => `/api/workspaces/${w}/audit-events?from=yesterday`,
  (w: string) => `/api/workspaces/${w}/audit-events?cursor=bm90LWEtY3Vyc29y`,
  (w: string) => `/api/workspaces/${w}/audit-events?action=a&action=b`,
  (w: string) => `/api/workspaces/${w}/audit-events?q=${'x'.repeat(limits.maxSearchLength + 1)}`,
];

async function expectClientError(response: Response, status: number, code?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
}

describe('bad input answers a 4xx JSON error on every route, never a 500', () => {
  let test: TestApp;
  let owner: TestClient;
  let other: TestClient;
  let workspace: WorkspaceSummary;

  beforeAll(async () => {
    test = await createTestApp();
    owner = await test.signIn('Olive', 'olive@example.com');
    other = await test.signIn('Otto', 'otto@example.com');
    workspace = await test.workspaceWith(owner, [[other, 'member']]);
  });
  afterAll(() => test.close());

  for (const route of bodyRoutes) {
    const label = `${route.method} ${route.path(':w', ':u')}`;
    const path = () => route.path(workspace.id, other.me.identity.id);
    it(`${label}: malformed JSON → 400 malformed_json`, async () => {
      await expectClientError(await owner.request(route.method, path(), '{"name": '), 400, 'malformed_json');
    });
    it(`${label}: unknown keys → 400 validation_failed`, async () => {
      await expectClientError(await owner.request(route.method, path(), { ...route.valid, isAdmin: true }), 400, 'validation_failed');
    });
    it(`${label}: wrong types → 400 validation_failed with details`, async () => {
      const response = await owner.request(route.method, path(), route.wrongTypes);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.length).toBeGreaterThan(0);
    });
    it(`${label}: a JSON array or string instead of an object → 400`, async () => {
      await expectClientError(await owner.request(route.method, path(), '[]'), 400, 'validation_failed');
      await expectClientError(await owner.request(route.method, path(), '"text"'), 400, 'validation_failed');
    });
    it(`${label}: oversized body → 413 payload_too_large`, async () => {
      const huge = JSON.stringify({ ...route.valid, padding: 'x'.repeat(limits.maxRequestBodyBytes) });
      await expectClientError(await owner.request(route.method, path(), huge), 413, 'payload_too_large');
    });
    it(`${label}: not JSON → 415`, async () => {
      await expectClientError(
        await owner.request(route.method, path(), undefined, { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      );
    });
  }

  for (const route of queryRoutes) {
    it(`GET ${route(':w')}: refused with 400`, async () => {
      await expectClientError(await owner.request('GET', route(workspace.id)), 400);
    });
  }

  it('malformed ids in paths answer 404', async () => {
    for (const path of [
      '/api/workspaces/..%2F..',
      '/api/workspaces/%00',
      `/api/workspaces/${'w'.repeat(200)}`,
      `/api/workspaces/${workspace.id}/members/not an id`,
    ]) {
      await expectClientError(await owner.request('GET', path), 404, 'not_found');
    }
  });

  it('unknown routes and methods answer 404 JSON', async () => {
    await expectClientError(await owner.request('GET', '/api/nothing-here'), 404, 'not_found');
    await expectClientError(await owner.request('PUT', `/api/workspaces/${workspace.id}`, { name: 'x' }), 404, 'not_found');
  });

  it('names that are empty, blank or too long are refused', async () => {
    for (const name of ['', '   ', 'x'.repeat(limits.maxWorkspaceNameLength + 1)]) {
      await expectClientError(await owner.request('POST', '/api/workspaces', { name }), 400, 'validation_failed');
    }
  });

  it('nothing was lost: the workspace and its members are intact after all of that', async () => {
    const response = await owner.request('GET', `/api/workspaces/${workspace.id}/members`);
    const page = (await response.json()) as { items: { email: string; role: string }[] };
    expect(page.items.map((member) => [member.email, member.role])).toEqual([
      ['olive@example.com', 'owner'],
      ['otto@example.com', 'member'],
    ]);
  });
});
