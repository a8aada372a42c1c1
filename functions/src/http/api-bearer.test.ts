import { afterEach, describe, expect, it } from 'vitest';
import type { MeResponse, WorkspaceSummary } from '@hangar/protocol';
import { createOidcAuthenticator, type BearerVerifier } from '../auth/authenticator';
import { createTestApp, type TestApp } from './testing';

/** Tokens are `subject.verified` (email `subject@example.com`); real JWT verification is tested in oidc-verifier.test.ts. */
const verifier: BearerVerifier = {
  verify(token) {
    const [subject, verified, extra] = token.split('.');
    if (!subject || !verified || extra !== undefined) return Promise.reject(new Error('bad token'));
    const email = `${subject}@example.com`;
    return Promise.resolve({ subject, issuer: 'https://idp.example', email, emailVerified: verified === 'yes', name: subject });
  },
};

describe('oidc mode: bearer tokens', () => {
  let test: TestApp;
  afterEach(() => test.close());

  async function app() {
    test = await createTestApp({
      oidc: { authenticator: createOidcAuthenticator(verifier), issuer: 'https://idp.example', audience: 'hangar' },
      allowedOrigins: ['https://api.example'],
    });
    return test.app;
  }
  const call = async (hono: Awaited<ReturnType<typeof app>>, token: string | null, method: string, path: string, body?: unknown) =>
    hono.request(`https://api.example${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('needs no Origin for bearer mutations (no ambient credentials, no CSRF) and refuses local sign-in', async () => {
    const hono = await app();
    expect((await call(hono, 'ada.yes', 'POST', '/api/workspaces', { name: 'Ops' })).status).toBe(201);
    const localSignIn = await hono.request('https://api.example/api/auth/sign-in', {
      method: 'POST',
      headers: { origin: 'https://api.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', email: 'x@example.com' }),
    });
    expect(localSignIn.status).toBe(400);
    expect((await call(hono, 'garbage', 'GET', '/api/me')).status).toBe(401);
    expect((await call(hono, null, 'GET', '/api/me')).status).toBe(401);
    const config = (await (await call(hono, null, 'GET', '/api/auth/config')).json()) as { mode: string; issuer: string };
    expect(config).toEqual({ mode: 'oidc', issuer: 'https://idp.example', audience: 'hangar' });
  });

  it('accepts invitations on first /api/me only for a verified email', async () => {
    const hono = await app();
    const owner = 'olive.yes';
    const workspace = (await (await call(hono, owner, 'POST', '/api/workspaces', { name: 'Ops' })).json()) as WorkspaceSummary;
    await call(hono, owner, 'POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'bob@example.com', role: 'member' });
    await call(hono, owner, 'POST', `/api/workspaces/${workspace.id}/invitations`, { email: 'eve@example.com', role: 'member' });

    const bob = (await (await call(hono, 'bob.yes', 'GET', '/api/me')).json()) as MeResponse;
    expect(bob.identity.provider).toBe('oidc');
    expect((await call(hono, 'bob.yes', 'GET', `/api/workspaces/${workspace.id}`)).status).toBe(200);

    await call(hono, 'eve.no', 'GET', '/api/me');
    expect((await call(hono, 'eve.no', 'GET', `/api/workspaces/${workspace.id}`)).status).toBe(404);
  });
});
