import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a capability token grants: a run's internal API, or one version's preview. */
export type Capability =
  | { kind: 'run'; runId: string }
  /** `published`: the frame of a published app, which follows the workspace's frame settings. */
  | { kind: 'preview'; workspaceId: string; appId: string; versionId: string; published?: boolean };

/**
 * Short, url-safe, HMAC-signed capability tokens. A worker's run token opens the internal API
 * for that run only; a preview token opens one version's files for the sandboxed iframe, which
 * carries no cookies.
 */
export class CapabilityTokens {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(`capability:${data}`).digest('base64url');
  }

  issue(capability: Capability, ttlSeconds: number): { token: string; expiresAt: string } {
    const exp = Math.floor(this.now() / 1000) + ttlSeconds;
    const data = Buffer.from(JSON.stringify({ ...capability, exp })).toString('base64url');
    return { token: `${data}.${this.sign(data)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  verify<K extends Capability['kind']>(token: string | undefined, kind: K): Extract<Capability, { kind: K }> | null {
    if (!token || token.length > 2048) return null;
    const [data, signature, extra] = token.split('.');
    if (!data || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const parsed = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as Capability & { exp: number };
      if (parsed.kind !== kind || typeof parsed.exp !== 'number' || parsed.exp * 1000 < this.now()) return null;
      return parsed as unknown as Extract<Capability, { kind: K }>;
    } catch {
      return null;
    }
  }
}
