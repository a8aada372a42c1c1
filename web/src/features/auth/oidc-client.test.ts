import { describe, expect, it } from 'vitest';
import { authorizationUrl, codeChallenge, randomToken, signOutUrl } from './oidc-client';

const settings = { issuer: 'https://idp.example', clientId: 'hangar-console', redirectUri: 'https://hangar.example/auth/callback' };

describe('OIDC client', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(randomToken(48)).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });
  it('asks for the code flow with PKCE, state and nonce', () => {
    const url = new URL(
      authorizationUrl(
        { authorization_endpoint: 'https://idp.example/oauth2/authorize', token_endpoint: 'https://idp.example/oauth2/token' },
        settings,
        { state: 's', nonce: 'n', challenge: 'c' },
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'hangar-console',
      redirect_uri: 'https://hangar.example/auth/callback',
      scope: 'openid email profile',
      state: 's',
      nonce: 'n',
      code_challenge: 'c',
      code_challenge_method: 'S256',
    });
  });
  it("signs out at the end_session_endpoint, or at Cognito's /logout beside /oauth2/authorize", () => {
    const generic = signOutUrl(
      { authorization_endpoint: 'https://idp.example/authorize', token_endpoint: 'x', end_session_endpoint: 'https://idp.example/logout' },
      settings,
      'id.token',
      'https://hangar.example/sign-in',
    );
    expect(generic).toBe(
      'https://idp.example/logout?client_id=hangar-console&post_logout_redirect_uri=https%3A%2F%2Fhangar.example%2Fsign-in&id_token_hint=id.token',
    );
    const cognito = signOutUrl(
      { authorization_endpoint: 'https://hangar.auth.eu-west-1.amazoncognito.com/oauth2/authorize', token_endpoint: 'x' },
      settings,
      null,
      'https://hangar.example/sign-in',
    );
    expect(cognito).toBe(
      'https://hangar.auth.eu-west-1.amazoncognito.com/logout?client_id=hangar-console&logout_uri=https%3A%2F%2Fhangar.example%2Fsign-in',
    );
    expect(signOutUrl({ authorization_endpoint: 'https://idp.example/authorize', token_endpoint: 'x' }, settings, null, '/')).toBeNull();
  });
});
