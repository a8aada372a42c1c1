import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, generateKeyPair, generateSecret, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HangarError } from '../domain/errors';
import { createOidcVerifier, maxTokenLength, OidcVerificationError, type OidcFailureReason, type OidcVerifier } from './oidc-verifier';

const audience = 'hangar-console';
let server: Server;
let issuer: string;
let requests = 0;
let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
let stranger: { privateKey: CryptoKey; publicKey: CryptoKey };

function listen(handler: RequestListener): Promise<Server> {
  const created = createServer(handler);
  return new Promise((resolve) => created.listen(0, '127.0.0.1', () => resolve(created)));
}
const urlOf = (listening: Server) => `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
const closeServer = (listening: Server) => new Promise<void>((resolve) => listening.close(() => resolve()));

beforeAll(async () => {
  rsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256');
  stranger = await generateKeyPair('RS256');
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  server = await listen((request, response) => {
    requests++;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }));
    } else if (request.url === '/.well-known/jwks.json') {
      response.end(JSON.stringify({ keys }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  issuer = urlOf(server);
});

afterAll(() => closeServer(server));

const now = () => Math.floor(Date.now() / 1000);

interface TokenOptions {
  key?: CryptoKey | Uint8Array;
  alg?: string;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  notBefore?: number;
  claims?: JWTPayload;
  subject?: string | null;
}

function token(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace', ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa-1', typ: 'JWT' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? now() + 300);
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'user-123');
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(options.key ?? rsa.privateKey);
}

async function reasonOf(verifier: OidcVerifier, candidate: string): Promise<OidcFailureReason> {
  try {
    await verifier.verify(candidate);
  } catch (error) {
    if (error instanceof OidcVerificationError) return error.reason;
    throw error;
  }
  throw new Error('token was accepted');
}

const verifier = (overrides: Partial<Parameters<typeof createOidcVerifier>[0]> = {}) =>
  createOidcVerifier({ issuer, audience, ...overrides });

describe('oidc verifier', () => {
  it('accepts a valid RS256 token, finding the keys through discovery', async () => {
    expect(await verifier().verify(await token())).toEqual({
      subject: 'user-123',
      issuer,
      email: 'ada@example.com',
      emailVerified: true,
      name: 'Ada Lovelace',
    });
  });

  it('accepts a valid ES256 token from an explicit key set URL', async () => {
    const claims = await verifier({ jwksUri: `${issuer}/.well-known/jwks.json` }).verify(
      await token({ key: ec.privateKey, alg: 'ES256', kid: 'ec-1', claims: { email: undefined, email_verified: 'true', name: undefined } }),
    );
    expect(claims).toEqual({ subject: 'user-123', issuer, email: null, emailVerified: true, name: null });
  });

  it('refuses an expired token beyond the clock tolerance', async () => {
    expect(await reasonOf(verifier(), await token({ expiresAt: now() - 120 }))).toBe('expired');
    expect(await reasonOf(verifier({ clockToleranceSeconds: 5 }), await token({ expiresAt: now() - 30 }))).toBe('expired');
  });

  it('accepts tokens within the clock skew', async () => {
    await expect(verifier().verify(await token({ expiresAt: now() - 30 }))).resolves.toMatchObject({ subject: 'user-123' });
    await expect(verifier().verify(await token({ notBefore: now() + 30 }))).resolves.toMatchObject({ subject: 'user-123' });
    expect(await reasonOf(verifier(), await token({ notBefore: now() + 600 }))).toBe('invalid');
  });

  it('refuses another issuer and another audience', async () => {
    expect(await reasonOf(verifier(), await token({ issuer: 'https://evil.example.com' }))).toBe('wrong_issuer');
    expect(await reasonOf(verifier(), await token({ audience: 'another-app' }))).toBe('wrong_audience');
  });

  it('refuses tokens signed by a key the issuer did not publish', async () => {
    expect(await reasonOf(verifier(), await token({ key: stranger.privateKey }))).toBe('invalid_signature');
    expect(await reasonOf(verifier(), await token({ key: stranger.privateKey, kid: 'unknown-kid' }))).toBe('invalid_signature');
    const [header, payload] = (await token()).split('.');
    const [, , foreignSignature] = (await token({ key: stranger.privateKey })).split('.');
    expect(await reasonOf(verifier(), `${header}.${payload}.${foreignSignature}`)).toBe('invalid_signature');
  });

  it('refuses alg none, symmetric algorithms and garbage as malformed', async () => {
    const encode = (value: object) => base64url.encode(JSON.stringify(value));
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: issuer, aud: audience, sub: 'user-123', exp: now() + 300 })}.`;
    expect(await reasonOf(verifier(), unsigned)).toBe('malformed');
    expect(await reasonOf(verifier(), await token({ alg: 'HS256', key: await generateSecret('HS256') }))).toBe('malformed');
    for (const garbage of ['', 'abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.%%%.x', 'Bearer x.y.z']) {
      expect(await reasonOf(verifier(), garbage), garbage).toBe('malformed');
    }
  });

  it('refuses a token without a subject', async () => {
    expect(await reasonOf(verifier(), await token({ subject: null }))).toBe('invalid');
  });

  it('refuses an oversize token without parsing it or fetching keys', async () => {
    const before = requests;
    const huge = `${'a'.repeat(maxTokenLength)}.b.c`;
    expect(await reasonOf(verifier(), huge)).toBe('malformed');
    expect(requests).toBe(before);
  });

  it('reports an unreachable key set as jwks_unavailable (503, retryable), then recovers', async () => {
    const down = await listen(() => undefined);
    const downUrl = urlOf(down);
    await closeServer(down);
    const explicit = verifier({ jwksUri: `${downUrl}/.well-known/jwks.json` });
    expect(await reasonOf(explicit, await token())).toBe('jwks_unavailable');
    const discovered = createOidcVerifier({ issuer: downUrl, audience });
    expect(await reasonOf(discovered, await token({ issuer: downUrl }))).toBe('jwks_unavailable');
    const error = await verifier({ jwksUri: `${downUrl}/jwks` })
      .verify(await token())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HangarError);
    expect(error).toMatchObject({ status: 503, retryable: true, reason: 'jwks_unavailable' });
  });

  it('reports refused tokens as 401 errors with a safe message', async () => {
    const error = await verifier()
      .verify(await token({ expiresAt: now() - 3600 }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 401,
      code: 'unauthenticated',
      expose: true,
      retryable: false,
      message: 'The bearer token has expired.',
    });
  });

  it('refuses a plain-http key set URL that is not on this machine', () => {
    expect(() => createOidcVerifier({ issuer: 'https://id.example.com', audience, jwksUri: 'http://id.example.com/jwks' })).toThrow(
      /https/,
    );
  });
});
