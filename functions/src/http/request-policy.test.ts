import { describe, expect, it } from 'vitest';
import { hostAllowed, hostNameOf, normalizeOrigin, originAllowed, originAllowList } from './request-policy';

describe('request policy', () => {
  it('accepts only exact, configured http(s) origins', () => {
    const allowed = originAllowList(['http://localhost:8787', 'https://Hangar.Example']);
    expect(originAllowed(allowed, 'http://localhost:8787')).toBe(true);
    expect(originAllowed(allowed, 'https://hangar.example')).toBe(true);
    for (const origin of [
      undefined,
      'null',
      'not a url',
      'https://localhost:8787',
      'ftp://localhost:8787',
      'http://localhost:8787.evil.example',
      'http://localhost:8787/path',
    ]) {
      expect(originAllowed(allowed, origin), String(origin)).toBe(false);
    }
    expect(normalizeOrigin('javascript:alert(1)')).toBeNull();
    expect(() => originAllowList(['localhost:8787'])).toThrow('not an http(s) origin');
  });

  it('answers for its own names, any IP literal only when bound to every interface', () => {
    const names = new Set(['localhost', '127.0.0.1', '[::1]']);
    expect(hostAllowed({ names, anyIpLiteral: false }, 'LOCALHOST:8787')).toBe(true);
    expect(hostAllowed({ names, anyIpLiteral: false }, '[::1]:8787')).toBe(true);
    expect(hostAllowed({ names, anyIpLiteral: false }, 'localhost.:8787')).toBe(true);
    expect(hostAllowed({ names, anyIpLiteral: false }, 'attacker.example:8787')).toBe(false);
    expect(hostAllowed({ names, anyIpLiteral: false }, '192.168.1.5:8787')).toBe(false);
    expect(hostAllowed({ names, anyIpLiteral: true }, '192.168.1.5:8787')).toBe(true);
    expect(hostAllowed({ names, anyIpLiteral: true }, 'rebind.example')).toBe(false);
    expect(hostAllowed({ names, anyIpLiteral: false }, undefined)).toBe(false);
    expect(hostAllowed({ names, anyIpLiteral: false }, 'localhost:8787@evil')).toBe(false);
    expect(hostAllowed(null, 'anything.example')).toBe(true);
    expect(hostNameOf('a:b:c')).toBeNull();
  });
});
