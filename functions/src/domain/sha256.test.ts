import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches Node’s SHA-256 at every length around the block and padding boundaries, ASCII and multi-byte UTF-8', () => {
    const pieces = ['a', 'é', '€', '😀', '{"_id":"x"}'];
    for (let length = 0; length <= 300; length++) {
      for (const piece of pieces) {
        const text = piece.repeat(length).slice(0, length);
        expect(sha256Hex(text)).toBe(reference(text));
      }
    }
  });

  it('matches Node’s SHA-256 on long text (lengths past 2^16 bytes)', () => {
    const text = JSON.stringify(Array.from({ length: 20_000 }, (_, index) => ({ index, note: 'ünïcödé' })));
    expect(sha256Hex(text)).toBe(reference(text));
  });
});
