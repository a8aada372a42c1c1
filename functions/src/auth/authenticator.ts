import type { AuthMode, Identity } from '@hangar/protocol';
import { HangarError, UnauthenticatedError } from '../domain/errors';
import { oidcIdentity } from './identities';
import type { SessionCodec, SessionPayload } from './session-cookie';

/** What a request presents: the session cookie's value, an Authorization header, a chosen identity. */
export interface Credentials {
  sessionCookie?: string | undefined;
  authorization?: string | undefined;
  /** In `none` mode, which of the browser's signed-in identities acts (tab-scoped). */
  identityId?: string | undefined;
}

export interface Authenticated {
  identity: Identity;
  via: 'cookie' | 'bearer';
  emailVerified: boolean;
  /** The cookie session, in `none` mode. */
  session: SessionPayload | null;
}

/** The verifier that OIDC mode needs (see `oidc-verifier.ts`). */
export interface BearerVerifier {
  verify(token: string): Promise<{ subject: string; issuer: string; email: string | null; emailVerified: boolean; name: string | null }>;
}

/** Authenticates requests and WebSocket connections the same way. */
export interface Authenticator {
  readonly mode: AuthMode;
  /** The caller, or null when no credentials were presented; throws when they are invalid. */
  authenticate(credentials: Credentials): Promise<Authenticated | null>;
}

export function createLocalAuthenticator(codec: SessionCodec): Authenticator {
  return {
    mode: 'none',
    authenticate(credentials) {
      const session = codec.decode(credentials.sessionCookie);
      if (!session) return Promise.resolve(null);
      const chosen = credentials.identityId ?? session.active;
      const identity = session.identities.find((candidate) => candidate.id === chosen);
      if (!identity) return Promise.reject(new UnauthenticatedError('That identity is not signed in on this browser.'));
      return Promise.resolve({ identity, via: 'cookie', emailVerified: true, session });
    },
  };
}

export function createOidcAuthenticator(verifier: BearerVerifier): Authenticator {
  return {
    mode: 'oidc',
    async authenticate(credentials) {
      const header = credentials.authorization;
      if (!header) return null;
      const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
      if (!match?.[1]) throw new UnauthenticatedError('Authorization must be a Bearer token.');
      try {
        const claims = await verifier.verify(match[1]);
        return { identity: oidcIdentity(claims), via: 'bearer', emailVerified: claims.emailVerified, session: null };
      } catch (error) {
        // An unreachable identity provider is our problem (retryable 503), not a bad token.
        if (error instanceof HangarError && error.status >= 500) throw error;
        throw new UnauthenticatedError('The bearer token is not valid.');
      }
    },
  };
}
