import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBlobStoreContract } from '../ports/blob-store.contract';
import { createFileBlobStore } from './file-blob-store';

describeBlobStoreContract('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-blobs-'));
  return Promise.resolve({
    store: createFileBlobStore(dir),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});
