import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { identityHeader } from '@hangar/protocol';
import { sessionCookieName } from '../auth/session-cookie';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../domain/errors';
import type { Actor } from '../domain/workspace-access';
import type { AppDependencies, AppEnv } from './app-env';
import { hostAllowed, originAllowed } from './request-policy';

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

/** The request's own origin as the browser sees it (for cookie flags; never for trust decisions). */
export function requestOrigin(c: Context): string {
  const url = new URL(c.req.url);
  const forwardedProto = c.req.header('x-forwarded-proto');
  const host = c.req.header('host') ?? url.host;
  return `${forwardedProto ?? url.protocol.replace(':', '')}://${host}`;
}

/**
 * DNS rebinding defence: a request whose `Host` is not one this server answers for gets 403
 * before anything else (authentication included) runs.
 */
export function hostCheck(deps: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!hostAllowed(deps.config.allowedHosts, c.req.header('host'))) {
      throw new ForbiddenError('This server does not answer for that host name.', 'forbidden');
    }
    await next();
  };
}

/**
 * CSRF protection for everything that is not bearer-authenticated: a mutation must come from a
 * configured origin, as told by Origin (checked against the list, never against the request's
 * own Host, which a rebinding page controls) or, without Origin, by Sec-Fetch-Site.
 * Requests carrying neither are refused.
 */
export function csrfProtection(deps: AppDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (mutating.has(c.req.method) && c.get('auth')?.via !== 'bearer') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const sameSite = site === 'same-origin' || site === 'none';
      const allowed =
        origin !== undefined ? originAllowed(deps.config.allowedOrigins, origin) && (!site || sameSite) : site !== undefined && sameSite;
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
