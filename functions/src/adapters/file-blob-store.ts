import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Pattern, type BlobStore } from '../ports/blob-store';

/** Blobs as files `<root>/ab/abcdef…`, written atomically (temp file + rename). */
export function createFileBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => {
    if (!sha256Pattern.test(sha256)) throw new Error('invalid blob key');
    return join(root, sha256.slice(0, 2), sha256);
  };
  const has = (sha256: string) =>
    stat(pathOf(sha256)).then(
      () => true,
      () => false,
    );
  return {
    kind: 'files',
    has,
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (await has(sha256)) return sha256;
      const path = pathOf(sha256);
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
      return sha256;
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch {
        return null;
      }
    },
  };
}
