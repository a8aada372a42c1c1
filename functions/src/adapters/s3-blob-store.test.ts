import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../ports/blob-store.contract';
import { startLocalS3 } from '../testing/local-s3-server';
import { createS3BlobStore } from './s3-blob-store';

let s3: Awaited<ReturnType<typeof startLocalS3>>;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
});

const client = () =>
  new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

let bucketCount = 0;
describeBlobStoreContract('s3 (real SDK client, local S3 endpoint)', () =>
  Promise.resolve({
    store: createS3BlobStore({ client: client(), bucket: `snapshots-${++bucketCount}` }),
    cleanup: () => Promise.resolve(),
  }),
);

describe('S3 blob store', () => {
  it('keys objects by prefix and sha256 and never sends a malformed key to S3', async () => {
    const store = createS3BlobStore({ client: client(), bucket: 'keys', prefix: 'snap/' });
    const key = await store.put(new TextEncoder().encode('hello'));
    expect(s3.objects.has(`keys/snap/${key}`)).toBe(true);
    const before = s3.requests.length;
    expect(await store.get('not-a-sha')).toBeNull();
    expect(await store.has('../../secret')).toBe(false);
    expect(s3.requests.length).toBe(before);
  });
});
