import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Identity } from '@hangar/protocol';

export const sessionCookieName = 'hangar_session';
/** Sessions last 30 days from the last sign-in or switch. */
export const sessionMaxAgeSeconds = 30 * 24 * 3600;
/** How many local identities one browser may hold side by side. */
export const maxIdentitiesPerSession = 6;

const SessionPayload = z.strictObject({
  v: z.literal(1),
  identities: z.array(Identity).min(1).max(maxIdentitiesPerSession),
  active: z.string(),
  exp: z.number().int(),
});
export type SessionPayload = z.infer<typeof SessionPayload>;

/** Signs and verifies the `none`-mode session cookie: base64url(JSON) + '.' + HMAC-SHA256. */
export class SessionCodec {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 32) throw new Error('session secret must be at least 32 bytes');
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  encode(payload: Omit<SessionPayload, 'v' | 'exp'>): string {
    const full: SessionPayload = { v: 1, ...payload, exp: Math.floor(this.now() / 1000) + sessionMaxAgeSeconds };
    const data = Buffer.from(JSON.stringify(full)).toString('base64url');
    return `${data}.${this.sign(data)}`;
  }

  /** The payload when the signature is valid and the session unexpired; otherwise null. */
  decode(value: string | undefined): SessionPayload | null {
    if (!value || value.length > 8192) return null;
    const [data, signature, extra] = value.split('.');
    if (!data || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const parsed = SessionPayload.safeParse(JSON.parse(Buffer.from(data, 'base64url').toString('utf8')));
      if (!parsed.success || parsed.data.exp * 1000 < this.now()) return null;
      return parsed.data;
    } catch {
      return null;
    }
  }
}
