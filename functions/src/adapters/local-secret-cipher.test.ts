import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretCipherContract } from '../ports/secret-cipher.contract';
import { createLocalSecretCipher, loadOrCreateSecretKey } from './local-secret-cipher';

secretCipherContract('local AES-256-GCM', () =>
  createLocalSecretCipher(loadOrCreateSecretKey(join(mkdtempSync(join(tmpdir(), 'hangar-secret-')), 'secret-key'))),
);

describe('local secret key file', () => {
  it('is created once with mode 600 and reused', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hangar-secret-')), 'secret-key');
    const first = loadOrCreateSecretKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecretKey(file).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a value sealed with one key does not open with another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-secret-'));
    const context = { workspaceId: 'wsp_1', appId: 'app_1', name: 'A' };
    const sealed = await createLocalSecretCipher(loadOrCreateSecretKey(join(dir, 'one'))).seal('v', context);
    await expect(createLocalSecretCipher(loadOrCreateSecretKey(join(dir, 'two'))).open(sealed, context)).rejects.toThrow();
  });
});
