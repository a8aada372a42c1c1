import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { secretAad, type SealedSecret, type SecretCipher, type SecretContext } from '../ports/secret-cipher';

/** KMS encryption context: the same binding as the AAD, readable in CloudTrail. */
const encryptionContext = (context: SecretContext) => ({
  'hangar:workspace': context.workspaceId,
  'hangar:app': context.appId,
  'hangar:secret': context.name,
});

/**
 * Envelope encryption with KMS: one data key per value from `GenerateDataKey` (bound to the
 * secret by the encryption context), AES-256-GCM locally with it, the plaintext key dropped at
 * once; only the KMS-encrypted key is stored beside the value. Opening calls `Decrypt` with the
 * same context, so a value moved to another secret does not open.
 */
export function createKmsSecretCipher(options: { kms: KMSClient; keyId: string }): SecretCipher {
  return {
    kind: 'kms',
    async seal(plaintext, context): Promise<SealedSecret> {
      const key = await options.kms.send(
        new GenerateDataKeyCommand({ KeyId: options.keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(context) }),
      );
      if (!key.Plaintext || !key.CiphertextBlob) throw new Error('KMS returned no data key');
      const dataKey = Buffer.from(key.Plaintext);
      try {
        const nonce = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
        cipher.setAAD(Buffer.from(secretAad(context)));
        const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        return {
          keyId: `kms:${key.KeyId ?? options.keyId}`,
          ciphertext: Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64'),
          encryptedDataKey: Buffer.from(key.CiphertextBlob).toString('base64'),
        };
      } finally {
        dataKey.fill(0);
      }
    },
    async open(sealed, context): Promise<string> {
      if (!sealed.keyId.startsWith('kms:') || !sealed.encryptedDataKey) throw new Error(`sealed by ${sealed.keyId}, not by KMS`);
      const key = await options.kms.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(sealed.encryptedDataKey, 'base64'),
          EncryptionContext: encryptionContext(context),
        }),
      );
      if (!key.Plaintext) throw new Error('KMS returned no data key');
      const dataKey = Buffer.from(key.Plaintext);
      try {
        const bytes = Buffer.from(sealed.ciphertext, 'base64');
        const decipher = createDecipheriv('aes-256-gcm', dataKey, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(secretAad(context)));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('the sealed secret does not open in this context');
      } finally {
        dataKey.fill(0);
      }
    },
  };
}
