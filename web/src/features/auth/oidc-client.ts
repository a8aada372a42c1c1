/**
 * OpenID Connect for the console: authorization code + PKCE (S256) against the issuer's
 * discovered endpoints (Cognito's hosted UI or any external issuer), token refresh and sign-out.
 * The ID token is the bearer: its `aud` is the console's client id, which the API verifies.
 */

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Where the issuer sends the browser back: `${origin}/auth/callback`. */
  redirectUri: string;
  scope?: string;
}

export interface OidcEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface OidcTokens {
  idToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds when the ID token expires. */
  expiresAt: number;
}

/** A sign-in step that failed; `code` tells the callback page what to show. */
export class OidcError extends Error {
  constructor(
    readonly code: 'discovery_failed' | 'state_mismatch' | 'token_failed' | 'denied',
    message: string,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A random URL-safe string (PKCE verifier, state, nonce). */
export function randomToken(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a PKCE verifier. */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The issuer's endpoints from `/.well-known/openid-configuration`. */
export async function discover(issuer: string): Promise<OidcEndpoints> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).catch(() => null);
  if (!response?.ok) throw new OidcError('discovery_failed', `Could not read the sign-in settings of ${issuer}.`);
  const document = (await response.json()) as Partial<OidcEndpoints>;
  if (typeof document.authorization_endpoint !== 'string' || typeof document.token_endpoint !== 'string') {
    throw new OidcError('discovery_failed', `${issuer} does not publish authorization and token endpoints.`);
  }
  return {
    authorization_endpoint: document.authorization_endpoint,
    token_endpoint: document.token_endpoint,
    ...(document.end_session_endpoint ? { end_session_endpoint: document.end_session_endpoint } : {}),
  };
}

/** The authorization request URL (code flow, PKCE S256, state and nonce). */
export function authorizationUrl(
  endpoints: OidcEndpoints,
  settings: OidcSettings,
  request: { state: string; nonce: string; challenge: string },
): string {
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: settings.scope ?? 'openid email profile',
    state: request.state,
    nonce: request.nonce,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Seconds since the epoch in a JWT's `exp` (the console only reads it; the API verifies the token). */
function expiryOf(idToken: string): number {
  try {
    const payload = JSON.parse(atob((idToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

async function tokenRequest(endpoints: OidcEndpoints, body: Record<string, string>, previousRefresh: string | null): Promise<OidcTokens> {
  const response = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(body).toString(),
  }).catch(() => null);
  if (!response?.ok) throw new OidcError('token_failed', 'The identity provider did not issue tokens.');
  const json = (await response.json()) as { id_token?: unknown; refresh_token?: unknown };
  if (typeof json.id_token !== 'string') throw new OidcError('token_failed', 'The identity provider answered without an ID token.');
  // Cognito does not rotate refresh tokens: keep the one we have when none comes back.
  return {
    idToken: json.id_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : previousRefresh,
    expiresAt: expiryOf(json.id_token),
  };
}

/** Exchanges an authorization code (with its PKCE verifier) for tokens. */
export function exchangeCode(endpoints: OidcEndpoints, settings: OidcSettings, code: string, verifier: string): Promise<OidcTokens> {
  return tokenRequest(
    endpoints,
    { grant_type: 'authorization_code', code, redirect_uri: settings.redirectUri, client_id: settings.clientId, code_verifier: verifier },
    null,
  );
}

/** New tokens from a refresh token. */
export function refreshTokens(endpoints: OidcEndpoints, settings: OidcSettings, refreshToken: string): Promise<OidcTokens> {
  return tokenRequest(endpoints, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: settings.clientId }, refreshToken);
}

/**
 * Where to send the browser to end the issuer's session: its `end_session_endpoint`, or
 * Cognito's `/logout` beside its `/oauth2/authorize` (Cognito publishes no end_session_endpoint).
 */
export function signOutUrl(endpoints: OidcEndpoints, settings: OidcSettings, idToken: string | null, returnTo: string): string | null {
  if (endpoints.end_session_endpoint) {
    const url = new URL(endpoints.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: settings.clientId,
      post_logout_redirect_uri: returnTo,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).toString();
    return url.toString();
  }
  if (endpoints.authorization_endpoint.endsWith('/oauth2/authorize')) {
    const url = new URL(endpoints.authorization_endpoint.replace(/\/oauth2\/authorize$/, '/logout'));
    url.search = new URLSearchParams({ client_id: settings.clientId, logout_uri: returnTo }).toString();
    return url.toString();
  }
  return null;
}
