/**
 * Content-addressed blob storage for snapshots: a blob's key is the sha256 of its bytes, so an
 * unchanged file is stored once however many versions contain it.
 * Adapters: local files under the data directory; S3 on AWS.
 */
export interface BlobStore {
  readonly kind: string;
  /** Stores bytes under their sha256 (hex). Idempotent. Returns the key. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, or null when absent. */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
}

export const sha256Pattern = /^[0-9a-f]{64}$/;
