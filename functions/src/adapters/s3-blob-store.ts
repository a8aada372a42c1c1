import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256Pattern, type BlobStore } from '../ports/blob-store';

export interface S3BlobStoreOptions {
  /** One client per container, shared with anything else that talks to S3. */
  client: S3Client;
  bucket: string;
  /** Key prefix inside the bucket. */
  prefix?: string;
}

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey ||
  error instanceof NotFound ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/**
 * Snapshot blobs in S3 under `{prefix}{sha256}`. S3 checks each upload against its SHA-256
 * (the content address itself), so a corrupted upload is refused instead of stored.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const prefix = options.prefix ?? 'blobs/';
  const key = (sha256: string) => `${prefix}${sha256}`;
  return {
    kind: 's3',
    async put(bytes) {
      const digest = createHash('sha256').update(bytes).digest();
      const sha256 = digest.toString('hex');
      await options.client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key(sha256),
          Body: bytes,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: digest.toString('base64'),
        }),
      );
      return sha256;
    },
    async get(sha256) {
      if (!sha256Pattern.test(sha256)) return null;
      try {
        const response = await options.client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key(sha256) }));
        return response.Body ? new Uint8Array(await response.Body.transformToByteArray()) : new Uint8Array();
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async has(sha256) {
      if (!sha256Pattern.test(sha256)) return false;
      try {
        await options.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key(sha256) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
