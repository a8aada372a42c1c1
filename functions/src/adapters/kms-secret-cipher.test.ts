import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { secretCipherContract } from '../ports/secret-cipher.contract';
import { createKmsSecretCipher } from './kms-secret-cipher';

/**
 * A KMS stand-in behind the real SDK client: data keys are wrapped with a master key and the
 * encryption context, and Decrypt refuses a different context, as KMS does.
 */
function fakeKms() {
  const master = randomBytes(32);
  const mock = mockClient(KMSClient);
  const contextText = (context: Record<string, string> | undefined) => JSON.stringify(Object.entries(context ?? {}).sort());
  mock.on(GenerateDataKeyCommand).callsFake((input: { KeyId: string; EncryptionContext?: Record<string, string> }) => {
    const plaintext = randomBytes(32);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, nonce);
    cipher.setAAD(Buffer.from(contextText(input.EncryptionContext)));
    const wrapped = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return {
      KeyId: `arn:aws:kms:eu-west-1:111122223333:key/${input.KeyId}`,
      Plaintext: new Uint8Array(plaintext),
      CiphertextBlob: new Uint8Array(wrapped),
    };
  });
  mock.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array; EncryptionContext?: Record<string, string> }) => {
    const blob = Buffer.from(input.CiphertextBlob);
    const decipher = createDecipheriv('aes-256-gcm', master, blob.subarray(0, 12));
    decipher.setAAD(Buffer.from(contextText(input.EncryptionContext)));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    try {
      return { Plaintext: new Uint8Array(Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()])) };
    } catch {
      throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
    }
  });
  return mock;
}

secretCipherContract('KMS envelope (SDK client mocked)', () => {
  fakeKms();
  return createKmsSecretCipher({
    kms: new KMSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    keyId: 'hangar-secrets',
  });
});

describe('KMS secret cipher', () => {
  it('asks KMS for an AES-256 data key bound to the secret, and stores only the encrypted key', async () => {
    const mock = fakeKms();
    const cipher = createKmsSecretCipher({
      kms: new KMSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
      keyId: 'hangar-secrets',
    });
    const sealed = await cipher.seal('value', { workspaceId: 'wsp_1', appId: 'app_1', name: 'CRM_TOKEN' });
    expect(mock.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toEqual({
      KeyId: 'hangar-secrets',
      KeySpec: 'AES_256',
      EncryptionContext: { 'hangar:workspace': 'wsp_1', 'hangar:app': 'app_1', 'hangar:secret': 'CRM_TOKEN' },
    });
    expect(sealed.keyId).toBe('kms:arn:aws:kms:eu-west-1:111122223333:key/hangar-secrets');
    expect(sealed.encryptedDataKey).toBeTruthy();
    await cipher.open(sealed, { workspaceId: 'wsp_1', appId: 'app_1', name: 'CRM_TOKEN' });
    expect(mock.commandCalls(DecryptCommand)[0]?.args[0].input.EncryptionContext).toEqual({
      'hangar:workspace': 'wsp_1',
      'hangar:app': 'app_1',
      'hangar:secret': 'CRM_TOKEN',
    });
  });
});
