import { afterEach, describe, expect, it } from 'vitest';
import { identityHeader, type AuditEvent, type MeResponse, type WorkspaceSummary } from '@hangar/protocol';
import { createTestApp, testOrigin, type TestApp } from './testing';

describe('local sign-in, sessions and CSRF', () => {
  let test: TestApp;
  afterEach(() => test.close());

  it('health answers without a session', async () => {
    test = await createTestApp();
    const response = await test.app.request(`${testOrigin}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', authMode: 'none', store: 'sqlite' });
  });

  it('sets an httpOnly, SameSite=Lax session cookie and /api/me answers with the identity', async () => {
    test = await createTestApp();
    const response = await test.app.request(`${testOrigin}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: testOrigin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ADA@Example.com' }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/);
    const me = (await response.json()) as MeResponse;
    expect(me.identity).toMatchObject({ email: 'ada@example.com', name: 'Ada', provider: 'local' });
  });

  it('marks the cookie Secure behind https', async () => {
    test = await createTestApp();
    const response = await test.app.request('https://hangar.test/api/auth/sign-in', {
      method: 'POST',
      headers: { origin: 'https://hangar.test', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('refuses a tampered or forged cookie', async () => {
    test = await createTestApp();
    const ada = await test.signIn('Ada', 'ada@example.com');
    const [name, value] = ada.cookie.split('=') as [string, string];
    const [data] = value.split('.');
    const forged = Buffer.from(
      JSON.stringify({ v: 1, identities: [{ ...ada.me.identity, name: 'Mallory' }], active: ada.me.identity.id, exp: 9e9 }),
    ).toString('base64url');
    for (const cookie of [`${name}=${data}.AAAA`, `${name}=${forged}.${value.split('.')[1]}`, `${name}=garbage`]) {
      const response = await test.app.request(`${testOrigin}/api/me`, { headers: { cookie } });
      expect(response.status).toBe(401);
    }
  });

  it('holds several identities side by side; a tab picks one with a header', async () => {
    test = await createTestApp();
    const ada = await test.signIn('Ada', 'ada@example.com');
    // Bob signs in on the same browser: the cookie now holds both.
    const response = await ada.request('POST', '/api/auth/sign-in', { name: 'Bob', email: 'bob@example.com' });
    const both = (await response.json()) as MeResponse;
    expect(both.identities.map((identity) => identity.email)).toEqual(['ada@example.com', 'bob@example.com']);
    const cookie = /hangar_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const asAda = await test.app.request(`${testOrigin}/api/me`, { headers: { cookie, [identityHeader]: ada.me.identity.id } });
    expect(((await asAda.json()) as MeResponse).identity.email).toBe('ada@example.com');
    const asDefault = await test.app.request(`${testOrigin}/api/me`, { headers: { cookie } });
    expect(((await asDefault.json()) as MeResponse).identity.email).toBe('bob@example.com');
    const asStranger = await test.app.request(`${testOrigin}/api/me`, { headers: { cookie, [identityHeader]: 'usr_someoneelse' } });
    expect(asStranger.status).toBe(401);
  });

  it('signs one identity out and keeps the other', async () => {
    test = await createTestApp();
    const ada = await test.signIn('Ada', 'ada@example.com');
    const added = await ada.request('POST', '/api/auth/sign-in', { name: 'Bob', email: 'bob@example.com' });
    const cookie = /hangar_session=[^;]+/.exec(added.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const out = await test.app.request(`${testOrigin}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: testOrigin, 'content-type': 'application/json' },
      body: JSON.stringify({ identityId: ((await added.json()) as MeResponse).identity.id }),
    });
    expect(out.status).toBe(204);
    const remaining = /hangar_session=[^;]+/.exec(out.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const me = await test.app.request(`${testOrigin}/api/me`, { headers: { cookie: remaining } });
    expect(((await me.json()) as MeResponse).identity.email).toBe('ada@example.com');
  });

  it('refuses cookie-authenticated mutations from other sites or with no origin at all', async () => {
    test = await createTestApp();
    const ada = await test.signIn('Ada', 'ada@example.com');
    const attempts: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', origin: '' },
      { 'sec-fetch-site': 'same-site', origin: 'http://sub.hangar.test' },
    ];
    for (const headers of attempts) {
      const response = await ada.request('POST', '/api/workspaces', { name: 'Hijacked' }, headers);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    }
    const noOrigin = await test.app.request(`${testOrigin}/api/workspaces`, {
      method: 'POST',
      headers: { cookie: ada.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'No origin' }),
    });
    expect(noOrigin.status).toBe(403);
    expect((await ada.request('POST', '/api/workspaces', { name: 'Fine' }, { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect(
      ((await (await ada.request('GET', '/api/workspaces')).json()) as { items: WorkspaceSummary[] }).items.map((w) => w.name),
    ).toEqual(['Fine']);
  });

  it('rate-limits sign-in attempts per client', async () => {
    test = await createTestApp({ rateLimits: { authPerMinute: 3, mutationsPerMinute: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await test.app.request(`${testOrigin}/api/auth/sign-in`, {
        method: 'POST',
        headers: { origin: testOrigin, 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
        body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

describe('invitations and the audit log', () => {
  let test: TestApp;
  afterEach(() => test.close());

  it('an invitation is accepted when that identity signs in, and every step is audited', async () => {
    test = await createTestApp();
    const owner = await test.signIn('Olive', 'olive@example.com');
    const workspace = (await (await owner.request('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    const invite = await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, {
      email: 'Newbie@Example.com',
      role: 'admin',
    });
    expect(invite.status).toBe(201);
    expect(
      (await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'newbie@example.com', role: 'viewer' })).status,
    ).toBe(409);

    const newbie = await test.signIn('Newbie', 'newbie@example.com');
    const mine = (await (await newbie.request('GET', '/api/workspaces')).json()) as { items: WorkspaceSummary[] };
    expect(mine.items).toEqual([expect.objectContaining({ id: workspace.id, role: 'admin' })]);
    expect(
      (await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'newbie@example.com', role: 'viewer' })).status,
    ).toBe(409);

    const audit = (await (await newbie.request('GET', `/api/workspaces/${workspace.id}/audit-events`)).json()) as { items: AuditEvent[] };
    expect(audit.items.map((event) => event.action)).toEqual([
      'identity.signed_in',
      'member.added',
      'invitation.accepted',
      'invitation.created',
      'member.added',
      'workspace.created',
    ]);
    expect(audit.items.every((event) => event.workspaceId === workspace.id && event.outcome === 'success')).toBe(true);
  });

  it('filters, searches and pages the audit log', async () => {
    test = await createTestApp();
    const owner = await test.signIn('Olive', 'olive@example.com');
    const workspace = (await (await owner.request('POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    for (let i = 0; i < 7; i++)
      await owner.request('POST', `/api/workspaces/${workspace.id}/invitations`, { email: `p${i}@example.com`, role: 'member' });
    const base = `/api/workspaces/${workspace.id}/audit-events`;
    const list = async (query: string) =>
      (await (await owner.request('GET', `${base}?${query}`)).json()) as { items: AuditEvent[]; nextCursor: string | null };

    expect((await list('action=invitation.created')).items).toHaveLength(7);
    expect((await list('action=member.*')).items.map((event) => event.action)).toEqual(['member.added']);
    expect((await list('q=P3%40EXAMPLE')).items.map((event) => event.target.label)).toEqual(['p3@example.com']);
    expect((await list(`actorId=${owner.me.identity.id}&targetType=workspace`)).items.map((event) => event.action)).toEqual([
      'workspace.created',
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    const all = await list('limit=200');
    expect(all.items.map((event) => event.id)).toEqual(seen);
  });
});
