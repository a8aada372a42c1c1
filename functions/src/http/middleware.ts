import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { identityHeader } from '@hangar/protocol';
import { sessionCookieName } from '../auth/session-cookie';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../domain/errors';
import type { Actor } from '../domain/workspace-access';
import type { AppDependencies, AppEnv } from './app-env';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the caller from cookie or bearer token (null when anonymous). */
export function authentication(deps: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identityId = c.req.header(identityHeader);
    const auth = await deps.authenticator.authenticate({
      sessionCookie: getCookie(c, sessionCookieName),
      authorization: c.req.header('authorization'),
      identityId: identityId || undefined,
    });
    c.set('auth', auth);
    await next();
  };
}

/** The request's own origin as the browser sees it. */
export function requestOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const forwardedProto = c.req.header('x-forwarded-proto');
  const host = c.req.header('host') ?? url.host;
  return `${forwardedProto ?? url.protocol.replace(':', '')}://${host}`;
}

/**
 * CSRF protection for everything that is not bearer-authenticated: a mutation must come from
 * our own origin, as told by Sec-Fetch-Site or Origin. Requests carrying neither are refused.
 */
export function csrfProtection(deps: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (mutating.has(c.req.method) && c.get('auth')?.via !== 'bearer') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const trusted = new Set([requestOrigin(c), ...(deps.config.trustedOrigins ?? [])]);
      const sameSite = site === 'same-origin' || site === 'none';
      const allowed = site ? sameSite && (!origin || trusted.has(origin)) : origin !== undefined && trusted.has(origin);
      if (!allowed)
        throw new ForbiddenError(
          'Cross-site request refused (CSRF protection). Send Origin from this site, or use a bearer token.',
          'csrf_failed',
        );
    }
    await next();
  };
}

/** A fixed-window counter per key; enough for one process (each Lambda container counts alone). */
export function rateLimit(options: {
  perMinute: number;
  key: (c: Context<AppEnv>) => string | null;
  now?: () => number;
}): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  const now = options.now ?? Date.now;
  return async (c, next) => {
    const key = options.key(c);
    if (key !== null) {
      const time = now();
      const window = windows.get(key);
      if (!window || time - window.start >= 60_000) {
        if (windows.size > 10_000) windows.clear();
        windows.set(key, { start: time, count: 1 });
      } else if (++window.count > options.perMinute) {
        throw new RateLimitedError(Math.ceil((window.start + 60_000 - time) / 1000));
      }
    }
    await next();
  };
}

export { mutating };

/** The acting identity, or 401. Cookie callers act through the console, bearer callers through the API. */
export function requireActor(c: Context<AppEnv>): Actor {
  const auth = c.get('auth');
  if (!auth) throw new UnauthenticatedError();
  return { identity: auth.identity, source: auth.via === 'cookie' ? 'console' : 'api' };
}
