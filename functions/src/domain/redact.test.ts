import { describe, expect, it } from 'vitest';
import { hashValue, maxAuditValueLength, redactMetadata } from './redact';

describe('audit metadata redaction', () => {
  it('replaces values under sensitive keys, at any depth', async () => {
    const redacted = await redactMetadata({
      role: 'admin',
      apiKey: 'sk-live-123',
      nested: { password: 'hunter2', Authorization: 'Bearer x', sessionId: 's', cookie: 'c', prompt: 'build me', requestBody: '{}' },
      list: [{ secretValue: 'x', kept: 1 }],
    });
    expect(redacted).toEqual({
      role: 'admin',
      apiKey: '[redacted]',
      nested: {
        password: '[redacted]',
        Authorization: '[redacted]',
        sessionId: '[redacted]',
        cookie: '[redacted]',
        prompt: '[redacted]',
        requestBody: '[redacted]',
      },
      list: [{ secretValue: '[redacted]', kept: 1 }],
    });
  });

  it('stores long values as their hash, never the value', async () => {
    const long = 'x'.repeat(maxAuditValueLength + 1);
    const redacted = (await redactMetadata({ note: long })) as { note: string };
    expect(redacted.note).toBe(await hashValue(long));
    expect(redacted.note).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('truncates deep and wide structures and leaves the input untouched', async () => {
    const deep = { a: { b: { c: { d: { e: { f: 'too deep' } } } } } };
    expect(JSON.stringify(await redactMetadata(deep))).toContain('[truncated]');
    const wide = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys((await redactMetadata(wide)) as object)).toHaveLength(50);
    const input = { token: 't' };
    await redactMetadata(input);
    expect(input).toEqual({ token: 't' });
  });
});
