import {
  authorizationUrl,
  codeChallenge,
  discover,
  exchangeCode,
  OidcError,
  randomToken,
  refreshTokens,
  signOutUrl,
  type OidcEndpoints,
  type OidcSettings,
  type OidcTokens,
} from './oidc-client';

/**
 * The tab's OIDC session: tokens in sessionStorage (gone with the tab, never in a cookie the
 * preview origin could see), the pending sign-in (state, nonce, PKCE verifier) likewise.
 */
const tokensKey = 'hangar.oidc.tokens';
const pendingKey = 'hangar.oidc.pending';
const configKey = 'hangar.oidc.config';
/** Refresh this long before the ID token expires, so no request carries an expired token. */
export const refreshMarginMs = 60_000;

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}
interface StoredConfig {
  issuer: string;
  clientId: string;
}

const read = <T>(key: string): T | null => {
  try {
    const text = window.sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
};
const write = (key: string, value: unknown) => {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage unavailable: the tab simply signs in again.
  }
};

const settingsOf = (config: StoredConfig): OidcSettings => ({
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${window.location.origin}/auth/callback`,
});

let endpoints: Promise<OidcEndpoints> | null = null;
const endpointsOf = (issuer: string) =>
  (endpoints ??= discover(issuer).catch((error: unknown) => {
    endpoints = null;
    throw error;
  }));

/** Sends the browser to the issuer's sign-in page; it comes back to /auth/callback. */
export async function beginOidcSignIn(config: StoredConfig, returnTo: string): Promise<void> {
  write(configKey, config);
  const pending: Pending = {
    state: randomToken(),
    nonce: randomToken(),
    verifier: randomToken(48),
    returnTo: returnTo.startsWith('/') ? returnTo : '/',
  };
  write(pendingKey, pending);
  const url = authorizationUrl(await endpointsOf(config.issuer), settingsOf(config), {
    state: pending.state,
    nonce: pending.nonce,
    challenge: await codeChallenge(pending.verifier),
  });
  window.location.assign(url);
}

/** Finishes a sign-in on /auth/callback; returns the path to go back to. */
export async function completeOidcSignIn(callbackUrl: string): Promise<string> {
  const params = new URL(callbackUrl).searchParams;
  const pending = read<Pending>(pendingKey);
  const config = read<StoredConfig>(configKey);
  write(pendingKey, null);
  if (params.get('error')) throw new OidcError('denied', params.get('error_description') ?? 'The identity provider refused the sign-in.');
  const code = params.get('code');
  if (!pending || !config || !code || params.get('state') !== pending.state)
    throw new OidcError('state_mismatch', 'This sign-in link is stale or was not started here. Sign in again.');
  write(tokensKey, await exchangeCode(await endpointsOf(config.issuer), settingsOf(config), code, pending.verifier));
  return pending.returnTo;
}

/** Whether this tab holds OIDC tokens. */
export const oidcSignedIn = () => read<OidcTokens>(tokensKey) !== null;

/** The current ID token without refreshing (the WebSocket URL is built synchronously). */
export const currentOidcToken = () => read<OidcTokens>(tokensKey)?.idToken ?? null;

let refreshing: Promise<string | null> | null = null;
/** The bearer for the next request, refreshed when it is close to expiry; null when signed out. */
export async function oidcBearer(): Promise<string | null> {
  const tokens = read<OidcTokens>(tokensKey);
  if (!tokens) return null;
  if (tokens.expiresAt - Date.now() > refreshMarginMs) return tokens.idToken;
  const config = read<StoredConfig>(configKey);
  if (!tokens.refreshToken || !config) return tokens.expiresAt > Date.now() ? tokens.idToken : null;
  refreshing ??= (async () => {
    try {
      const next = await refreshTokens(await endpointsOf(config.issuer), settingsOf(config), tokens.refreshToken as string);
      write(tokensKey, next);
      return next.idToken;
    } catch {
      // A refused refresh (revoked, expired): the tab is signed out and the API answers 401.
      write(tokensKey, null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Forgets the tokens and ends the issuer's session too when it supports that. */
export async function oidcSignOut(): Promise<void> {
  const tokens = read<OidcTokens>(tokensKey);
  const config = read<StoredConfig>(configKey);
  write(tokensKey, null);
  if (!config) return;
  const url = signOutUrl(
    await endpointsOf(config.issuer),
    settingsOf(config),
    tokens?.idToken ?? null,
    `${window.location.origin}/sign-in`,
  );
  if (url) window.location.assign(url);
}
