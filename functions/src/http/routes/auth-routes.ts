import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { SignInBody, SignOutBody, SwitchIdentityBody, type AuthConfig, type Identity, type MeResponse } from '@hangar/protocol';
import { localIdentity } from '../../auth/identities';
import { maxIdentitiesPerSession, sessionCookieName, sessionMaxAgeSeconds, type SessionCodec } from '../../auth/session-cookie';
import { BadRequestError, UnauthenticatedError } from '../../domain/errors';
import type { AppDependencies, AppEnv } from '../app-env';
import { requestOrigin, requireActor } from '../middleware';
import { readJson } from '../validation';

function writeSession(c: Context<AppEnv>, codec: SessionCodec, identities: Identity[], active: string) {
  setCookie(c, sessionCookieName, codec.encode({ identities, active }), {
    httpOnly: true,
    sameSite: 'Lax',
    secure: requestOrigin(c).startsWith('https:'),
    path: '/',
    maxAge: sessionMaxAgeSeconds,
  });
}

export function authRoutes(deps: AppDependencies) {
  const localOnly = (): SessionCodec => {
    if (!deps.sessionCodec)
      throw new BadRequestError('This deployment signs people in through its identity provider (OIDC bearer tokens).');
    return deps.sessionCodec;
  };
  /** OIDC callers have no sign-in request: their first /api/me does the sign-in work, once per process. */
  const oidcSeen = new Set<string>();

  return new Hono<AppEnv>()
    .get('/auth/config', (c) => {
      const oidc = deps.config.oidc;
      const body: AuthConfig = { mode: deps.authenticator.mode, ...(oidc ? { issuer: oidc.issuer, audience: oidc.audience } : {}) };
      return c.json(body);
    })
    .post('/auth/sign-in', async (c) => {
      const codec = localOnly();
      const body = await readJson(c, SignInBody);
      const identity = localIdentity(body.name, body.email);
      const existing = c.get('auth')?.session?.identities ?? [];
      const identities = [...existing.filter((other) => other.id !== identity.id), identity].slice(-maxIdentitiesPerSession);
      await deps.services.signIn.signIn({ identity, source: 'console' }, { emailVerified: true });
      writeSession(c, codec, identities, identity.id);
      const me: MeResponse = { identity, identities, authMode: 'none' };
      return c.json(me);
    })
    .post('/auth/switch', async (c) => {
      const codec = localOnly();
      const body = await readJson(c, SwitchIdentityBody);
      const session = c.get('auth')?.session;
      const identity = session?.identities.find((candidate) => candidate.id === body.identityId);
      if (!session || !identity) throw new UnauthenticatedError('That identity is not signed in on this browser.');
      // Switching is a sign-in of that identity on this tab: invitations sent since are accepted now.
      await deps.services.signIn.signIn({ identity, source: 'console' }, { emailVerified: true });
      writeSession(c, codec, session.identities, identity.id);
      const me: MeResponse = { identity, identities: session.identities, authMode: 'none' };
      return c.json(me);
    })
    .post('/auth/sign-out', async (c) => {
      const codec = localOnly();
      const body = await readJson(c, SignOutBody, { emptyAs: {} });
      const session = c.get('auth')?.session;
      const remaining = body.identityId && session ? session.identities.filter((identity) => identity.id !== body.identityId) : [];
      const next = remaining[remaining.length - 1];
      if (session && next) writeSession(c, codec, remaining, remaining.some((i) => i.id === session.active) ? session.active : next.id);
      else deleteCookie(c, sessionCookieName, { path: '/' });
      return c.body(null, 204);
    })
    .get('/me', async (c) => {
      const actor = requireActor(c);
      const auth = c.get('auth');
      if (auth?.via === 'bearer' && !oidcSeen.has(actor.identity.id)) {
        await deps.services.signIn.signIn({ identity: actor.identity, source: 'api' }, { emailVerified: auth.emailVerified });
        oidcSeen.add(actor.identity.id);
      }
      const me: MeResponse = {
        identity: actor.identity,
        identities: auth?.session?.identities ?? [actor.identity],
        authMode: deps.authenticator.mode,
      };
      return c.json(me);
    });
}
