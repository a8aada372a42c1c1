import { describe, expect, it } from 'vitest';
import type { SecretCipher } from './secret-cipher';

const context = { workspaceId: 'wsp_1', appId: 'app_1', name: 'CRM_TOKEN' };

/** The contract every SecretCipher adapter passes (local AES-GCM, KMS envelope). */
export function secretCipherContract(name: string, make: () => SecretCipher | Promise<SecretCipher>): void {
  describe(`SecretCipher contract: ${name}`, () => {
    it('opens what it sealed, and the sealed form does not contain the value', async () => {
      const cipher = await make();
      const value = 'tok_live_7Vq2-unique-value';
      const sealed = await cipher.seal(value, context);
      expect(JSON.stringify(sealed)).not.toContain(value);
      expect(JSON.stringify(sealed)).not.toContain(Buffer.from(value).toString('base64'));
      expect(await cipher.open(sealed, context)).toBe(value);
    });

    it('seals the same value differently each time', async () => {
      const cipher = await make();
      const [a, b] = [await cipher.seal('same', context), await cipher.seal('same', context)];
      expect(a.ciphertext).not.toBe(b.ciphertext);
    });

    it('refuses a seal moved to another secret, app or workspace', async () => {
      const cipher = await make();
      const sealed = await cipher.seal('value', context);
      for (const other of [
        { ...context, name: 'OTHER' },
        { ...context, appId: 'app_2' },
        { ...context, workspaceId: 'wsp_2' },
      ])
        await expect(cipher.open(sealed, other)).rejects.toThrow();
    });

    it('refuses a tampered seal', async () => {
      const cipher = await make();
      const sealed = await cipher.seal('value', context);
      const bytes = Buffer.from(sealed.ciphertext, 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
      await expect(cipher.open({ ...sealed, ciphertext: bytes.toString('base64') }, context)).rejects.toThrow();
    });

    it('handles unicode and long values', async () => {
      const cipher = await make();
      const value = `ключ-🔑-${'x'.repeat(8000)}`;
      expect(await cipher.open(await cipher.seal(value, context), context)).toBe(value);
    });
  });
}
