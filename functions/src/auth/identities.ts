import { createHash } from 'node:crypto';
import type { Identity } from '@hangar/protocol';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 26);

/** A local (`none` mode) identity: the same email always maps to the same user id. */
export function localIdentity(name: string, email: string): Identity {
  const normalized = email.trim().toLowerCase();
  return { id: `usr_${digest(`local:${normalized}`)}`, email: normalized, name: name.trim(), provider: 'local' };
}

/** An OIDC identity: the user id is derived from issuer and subject, never from the email. */
export function oidcIdentity(claims: { issuer: string; subject: string; email: string | null; name: string | null }): Identity {
  const email = claims.email?.toLowerCase() ?? '';
  return {
    id: `usr_${digest(`oidc:${claims.issuer}:${claims.subject}`)}`,
    email,
    name: claims.name ?? (email || claims.subject),
    provider: 'oidc',
  };
}
