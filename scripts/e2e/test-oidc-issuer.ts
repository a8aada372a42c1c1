import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

/** What the issuer did, for assertions: every grant and every sign-out. */
export interface IssuerLog {
  grants: string[];
  logouts: string[];
  issued: string[];
}

export interface TestOidcIssuer {
  issuer: string;
  log: IssuerLog;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

/**
 * A test OpenID provider on loopback with the parts a browser sign-in needs: discovery, JWKS,
 * an authorize page with an approve button (code flow, PKCE S256 required), a token endpoint
 * (authorization_code and refresh_token grants, CORS open) and an end-session endpoint.
 * The first ID token expires within the console's refresh margin, so a refresh follows at once.
 */
export async function startTestOidcIssuer(options: {
  clientId: string;
  subject: { sub: string; email: string; name: string };
  firstTokenSeconds?: number;
}): Promise<TestOidcIssuer> {
  const keys: { privateKey: CryptoKey; publicKey: CryptoKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Set<string>();
  const log: IssuerLog = { grants: [], logouts: [], issued: [] };
  let issuer = '';

  const idToken = async (lifetimeSeconds: number, nonce?: string) => {
    const token = await new SignJWT({
      email: options.subject.email,
      email_verified: true,
      name: options.subject.name,
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-1' })
      .setIssuer(issuer)
      .setAudience(options.clientId)
      .setSubject(options.subject.sub)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(keys.privateKey);
    log.issued.push(token);
    return token;
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer);
      const json = (status: number, body: unknown) =>
        response
          .writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
          .end(JSON.stringify(body));
      if (request.method === 'OPTIONS') {
        response
          .writeHead(204, {
            'access-control-allow-origin': '*',
            'access-control-allow-headers': 'content-type, accept',
            'access-control-allow-methods': 'GET, POST',
          })
          .end();
        return;
      }
      if (url.pathname === '/.well-known/openid-configuration') {
        json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          end_session_endpoint: `${issuer}/logout`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          code_challenge_methods_supported: ['S256'],
        });
        return;
      }
      if (url.pathname === '/.well-known/jwks.json') {
        json(200, { keys: [jwk] });
        return;
      }
      if (url.pathname === '/authorize' && request.method === 'GET') {
        const params = url.searchParams;
        if (
          params.get('client_id') !== options.clientId ||
          params.get('code_challenge_method') !== 'S256' ||
          !params.get('code_challenge') ||
          params.get('response_type') !== 'code'
        ) {
          response.writeHead(400, { 'content-type': 'text/plain' }).end('bad authorization request');
          return;
        }
        const code = randomUUID();
        codes.set(code, {
          clientId: options.clientId,
          redirectUri: params.get('redirect_uri') ?? '',
          challenge: params.get('code_challenge') ?? '',
          nonce: params.get('nonce') ?? '',
        });
        const back = new URL(params.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', params.get('state') ?? '');
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<!doctype html><title>Test IdP</title><p>Sign in as ${options.subject.email}?</p><a id="approve" href="${back.toString().replace(/&/g, '&amp;')}">Approve</a>`,
          );
        return;
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const body = await readBody(request);
        const grant = body.get('grant_type') ?? '';
        log.grants.push(grant);
        if (grant === 'authorization_code') {
          const pending = codes.get(body.get('code') ?? '');
          codes.delete(body.get('code') ?? '');
          const verifier = body.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (
            !pending ||
            pending.redirectUri !== body.get('redirect_uri') ||
            pending.clientId !== body.get('client_id') ||
            challenge !== pending.challenge
          ) {
            json(400, { error: 'invalid_grant' });
            return;
          }
          const refresh = randomUUID();
          refreshTokens.add(refresh);
          json(200, {
            id_token: await idToken(options.firstTokenSeconds ?? 30, pending.nonce),
            access_token: 'opaque',
            refresh_token: refresh,
            token_type: 'Bearer',
            expires_in: 30,
          });
          return;
        }
        if (grant === 'refresh_token' && refreshTokens.has(body.get('refresh_token') ?? '')) {
          json(200, { id_token: await idToken(3600), access_token: 'opaque', token_type: 'Bearer', expires_in: 3600 });
          return;
        }
        json(400, { error: 'invalid_grant' });
        return;
      }
      if (url.pathname === '/logout') {
        log.logouts.push(url.searchParams.get('client_id') ?? '');
        response.writeHead(302, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' }).end();
        return;
      }
      response.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, log, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
