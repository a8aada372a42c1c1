import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { environmentVariables as env } from '@hangar/protocol';
import { resolveMongoUri, resolveRedisUrl } from '../adapters/aws-secret-config';
import { createMongoDocumentStore } from '../adapters/mongo-document-store';
import { createRunLaunchClaims } from '../adapters/run-launch-claims';
import { createS3BlobStore } from '../adapters/s3-blob-store';
import { createSqsRunLauncher } from '../adapters/sqs-run-launcher';
import type { DocumentStore } from '../ports/document-store';

/** A variable the stack sets; missing means a broken deployment, so fail the cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the AWS deployment`);
  return value;
}

/** AWS SDK clients, created once per container and shared by every adapter in it. */
export const awsClients = {
  secrets: new SecretsManagerClient({}),
  s3: new S3Client({}),
  sqs: new SQSClient({}),
  ecs: new ECSClient({}),
};

let store: Promise<DocumentStore> | null = null;
/** The DocumentDB/Atlas store, its credentials read from Secrets Manager on first use. */
export const awsDocumentStore = () =>
  (store ??= resolveMongoUri(awsClients.secrets, requiredEnv(env.mongodbSecretArn)).then((uri) =>
    createMongoDocumentStore({ uri, databaseName: process.env[env.mongodbDatabase] ?? 'hangar' }),
  ));

let redisUrl: Promise<string> | null = null;
/** The ElastiCache URL with its AUTH password from Secrets Manager. */
export const awsRedisUrl = () =>
  (redisUrl ??= resolveRedisUrl(awsClients.secrets, requiredEnv(env.redisUrl), requiredEnv(env.redisAuthSecretArn)));

/** The S3 blob store of snapshots. */
export const awsBlobStore = () => createS3BlobStore({ client: awsClients.s3, bucket: requiredEnv(env.blobBucket) });

/** The SQS + ECS RunLauncher the control plane uses on AWS. */
export const awsRunLauncher = (documents: DocumentStore) =>
  createSqsRunLauncher({
    sqs: awsClients.sqs,
    queueUrl: requiredEnv(env.runQueueUrl),
    ecs: awsClients.ecs,
    cluster: requiredEnv(env.ecsClusterArn),
    claims: createRunLaunchClaims(documents),
  });
