/**
 * The secret cipher port: seals app secret values at rest. Adapters: `adapters/local-secret-cipher.ts`
 * (AES-256-GCM with a key file in the data directory) and the KMS envelope adapter (AWS).
 * Each seal is bound to its context (workspace, app, name), so a sealed value copied to another
 * secret's record does not open. Contract: `secret-cipher.contract.ts`.
 */
export interface SecretContext {
  workspaceId: string;
  appId: string;
  name: string;
}

/** What is stored: opaque to everything but the adapter that made it. */
export interface SealedSecret {
  /** Which adapter and key sealed it, e.g. `local-aes-256-gcm:v1`. */
  keyId: string;
  ciphertext: string;
  /** Envelope encryption keeps the encrypted data key beside the value. */
  encryptedDataKey?: string;
}

export interface SecretCipher {
  readonly kind: string;
  seal(plaintext: string, context: SecretContext): Promise<SealedSecret>;
  /** Throws when the seal was tampered with or belongs to another context. */
  open(sealed: SealedSecret, context: SecretContext): Promise<string>;
}

/** The additional authenticated data binding a seal to its secret. */
export const secretAad = (context: SecretContext): string => `hangar-secret:v1:${context.workspaceId}:${context.appId}:${context.name}`;
