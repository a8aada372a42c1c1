import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { secretAad, type SealedSecret, type SecretCipher, type SecretContext } from '../ports/secret-cipher';

const keyId = 'local-aes-256-gcm:v1';

/** Loads the 32-byte key from `file`, creating it (mode 600) on first use. */
export function loadOrCreateSecretKey(file: string): Buffer {
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.byteLength !== 32) throw new Error(`${file} must hold a 32-byte hex key`);
  return key;
}

/** AES-256-GCM with a random 96-bit nonce per value and the secret's context as AAD. */
export function createLocalSecretCipher(key: Buffer): SecretCipher {
  if (key.byteLength !== 32) throw new Error('the local secret key must be 32 bytes');
  return {
    kind: 'local',
    seal(plaintext: string, context: SecretContext): Promise<SealedSecret> {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(secretAad(context)));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const ciphertext = Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
      return Promise.resolve({ keyId, ciphertext });
    },
    open(sealed: SealedSecret, context: SecretContext): Promise<string> {
      if (sealed.keyId !== keyId) return Promise.reject(new Error(`sealed by ${sealed.keyId}, not by the local key`));
      const bytes = Buffer.from(sealed.ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(secretAad(context)));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return Promise.resolve(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'));
      } catch {
        return Promise.reject(new Error('the sealed secret does not open in this context'));
      }
    },
  };
}
