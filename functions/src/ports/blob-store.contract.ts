import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store';

/** The contract every BlobStore adapter passes. */
export function describeBlobStoreContract(name: string, factory: () => Promise<{ store: BlobStore; cleanup: () => Promise<void> }>) {
  describe(`BlobStore contract: ${name}`, () => {
    it('stores bytes under their sha256, once', async () => {
      const { store, cleanup } = await factory();
      const bytes = new TextEncoder().encode('export const answer = 42;\n');
      const key = await store.put(bytes);
      expect(key).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(await store.put(bytes)).toBe(key);
      expect(await store.has(key)).toBe(true);
      expect(new TextDecoder().decode((await store.get(key)) ?? new Uint8Array())).toBe('export const answer = 42;\n');
      await cleanup();
    });
    it('answers null and false for absent blobs, and refuses malformed keys', async () => {
      const { store, cleanup } = await factory();
      const absent = '0'.repeat(64);
      expect(await store.get(absent)).toBeNull();
      expect(await store.has(absent)).toBe(false);
      await expect(store.get('../../etc/passwd')).resolves.toBeNull();
      await cleanup();
    });
    it('stores empty and binary content', async () => {
      const { store, cleanup } = await factory();
      const binary = new Uint8Array([0, 255, 1, 254, 0]);
      expect(await store.get(await store.put(binary))).toEqual(binary);
      expect(await store.get(await store.put(new Uint8Array()))).toEqual(new Uint8Array());
      await cleanup();
    });
  });
}
