import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HangarError } from '../domain/errors';

export interface OidcVerifierOptions {
  /** The `iss` every token must carry, e.g. `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuer: string;
  /** The `aud` every token must carry (the app client id). */
  audience: string;
  /** Where the signing keys are; discovered from `<issuer>/.well-known/openid-configuration` when absent. */
  jwksUri?: string;
  /** Accepted clock skew for `exp`, `nbf` and `iat` (default 60). */
  clockToleranceSeconds?: number;
  /** Accepted signature algorithms (default: the asymmetric JWS algorithms). */
  algorithms?: string[];
  /** Timeout for discovery and key set requests (default 5,000 ms). */
  fetchTimeoutMs?: number;
}

export interface OidcClaims {
  subject: string;
  issuer: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface OidcVerifier {
  /** Verifies a bearer token's signature and claims; throws `OidcVerificationError` otherwise. */
  verify(token: string): Promise<OidcClaims>;
}

/** Why a token was refused; short and safe to log or show. */
export type OidcFailureReason =
  'expired' | 'invalid_signature' | 'wrong_issuer' | 'wrong_audience' | 'malformed' | 'jwks_unavailable' | 'invalid';

const messages: Record<OidcFailureReason, string> = {
  expired: 'The bearer token has expired.',
  invalid_signature: 'The bearer token signature is not valid.',
  wrong_issuer: 'The bearer token was issued by another identity provider.',
  wrong_audience: 'The bearer token was issued for another application.',
  malformed: 'The bearer token is malformed.',
  jwks_unavailable: 'The identity provider keys are unavailable; try again shortly.',
  invalid: 'The bearer token is not valid.',
};

/** A refused bearer token: 401, except when the provider's keys could not be fetched (503, retryable). */
export class OidcVerificationError extends HangarError {
  constructor(readonly reason: OidcFailureReason) {
    const unavailable = reason === 'jwks_unavailable';
    super(unavailable ? 503 : 401, unavailable ? 'unavailable' : 'unauthenticated', messages[reason], {
      expose: true,
      retryable: unavailable,
    });
  }
}

/** Tokens larger than this are refused before any parsing. */
export const maxTokenLength = 8 * 1024;

const asymmetricAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Marks failures of the key set fetch, which jose reports as plain fetch errors or generic errors. */
class KeySetUnavailable extends Error {}

/** Key sets must come over TLS, except from this machine (local development and tests). */
function keySetUrl(value: string): URL {
  const url = new URL(value);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`key set URL must use https: ${value}`);
  return url;
}

function reasonFor(error: unknown): OidcFailureReason {
  if (error instanceof OidcVerificationError) return error.reason;
  if (error instanceof KeySetUnavailable) return 'jwks_unavailable';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    return 'invalid';
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return 'invalid_signature';
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return 'malformed';
  }
  return 'invalid';
}

const stringClaim = (payload: JWTPayload, name: string): string | null => {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** Verifies OIDC bearer tokens (Cognito or any provider) against the issuer's published keys. */
export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const issuer = options.issuer;
  const base = issuer.replace(/\/+$/, '');
  const timeoutDuration = options.fetchTimeoutMs ?? 5_000;
  const algorithms = options.algorithms ?? asymmetricAlgorithms;
  const clockTolerance = options.clockToleranceSeconds ?? 60;

  // A misconfigured explicit key set URL fails at startup, not on every request.
  const configuredKeySetUrl = options.jwksUri === undefined ? null : keySetUrl(options.jwksUri);
  let keySet: Promise<JWTVerifyGetKey> | null = null;

  async function discoverKeySetUrl(): Promise<URL> {
    if (configuredKeySetUrl) return configuredKeySetUrl;
    let response: Response;
    try {
      response = await fetch(`${base}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutDuration) });
    } catch (error) {
      throw new KeySetUnavailable('discovery request failed', { cause: error });
    }
    // Providers without discovery (or with it disabled) publish keys at the conventional path.
    const discovered = async (): Promise<string> => {
      if (response.status === 404) return `${base}/.well-known/jwks.json`;
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown } | null;
      if (typeof document?.jwks_uri !== 'string' || document.issuer !== issuer)
        throw new Error('discovery document does not describe this issuer');
      return document.jwks_uri;
    };
    try {
      return keySetUrl(await discovered());
    } catch (error) {
      throw new KeySetUnavailable('discovery failed', { cause: error });
    }
  }

  async function loadKeySet(): Promise<JWTVerifyGetKey> {
    const remote = createRemoteJWKSet(await discoverKeySetUrl(), { timeoutDuration });
    // jose reports a key that is not in the set as such; anything else going wrong while
    // fetching the set (refused, timeout, non-200, not JSON) means the keys are unavailable.
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys ||
          error instanceof errors.JOSENotSupported
        ) {
          throw error;
        }
        throw new KeySetUnavailable('key set fetch failed', { cause: error });
      }
    };
  }

  function keys(): Promise<JWTVerifyGetKey> {
    // Discovery runs once; a failed attempt is forgotten so the next token retries it.
    keySet ??= loadKeySet().catch((error: unknown) => {
      keySet = null;
      throw error;
    });
    return keySet;
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > maxTokenLength) {
        throw new OidcVerificationError('malformed');
      }
      // Keys are resolved only once the token has parsed, so garbage is `malformed` even while
      // the provider is unreachable.
      const getKey: JWTVerifyGetKey = async (header, input) => (await keys())(header, input);
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer,
          audience: options.audience,
          clockTolerance,
          algorithms,
          requiredClaims: ['exp', 'sub'],
        });
        const subject = stringClaim(payload, 'sub');
        if (!subject) throw new OidcVerificationError('invalid');
        const emailVerified = payload.email_verified;
        return {
          subject,
          issuer: stringClaim(payload, 'iss') ?? issuer,
          email: stringClaim(payload, 'email'),
          // Some providers (Cognito user attributes among them) send the flag as a string.
          emailVerified: emailVerified === true || emailVerified === 'true',
          name: stringClaim(payload, 'name'),
        };
      } catch (error) {
        throw new OidcVerificationError(reasonFor(error));
      }
    },
  };
}
