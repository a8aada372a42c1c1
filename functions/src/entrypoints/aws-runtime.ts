import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { environmentVariables as env } from '@hangar/protocol';
import { resolveCapabilitySecret, resolveMongoUri, resolveRedisUrl } from '../adapters/aws-secret-config';
import { createMongoDocumentStore } from '../adapters/mongo-document-store';
import { createRunLaunchClaims } from '../adapters/run-launch-claims';
import { createS3BlobStore } from '../adapters/s3-blob-store';
import { createSqsRunLauncher } from '../adapters/sqs-run-launcher';
import type { DocumentStore } from '../ports/document-store';
import { onceSuccessful } from './once-successful';

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

/** Where the data stores are, with their credentials resolved. */
export interface AwsConnections {
  mongodbUri: string;
  mongodbDatabase: string;
  redisUrl: string;
  /** Signs run and preview capability tokens; the same bytes in every Lambda of the deployment. */
  capabilitySecret: Buffer;
}

/**
 * Resolves the connection strings of one container: MongoDB from the Secrets Manager secret the
 * stack sets (`HANGAR_MONGODB_SECRET_ARN`: DocumentDB credentials or an Atlas `{uri}`), unless
 * `MONGODB_URI` is set (a local or development override); Redis from `HANGAR_REDIS_URL` plus
 * the AUTH secret (`HANGAR_REDIS_AUTH_SECRET_ARN`) when one is set. Both secrets are read in
 * parallel, one `GetSecretValue` each.
 */
export async function resolveAwsConnections(
  secrets: SecretsManagerClient,
  source: Record<string, string | undefined> = process.env,
): Promise<AwsConnections> {
  const required = (name: string): string => {
    const value = source[name];
    if (!value) throw new Error(`${name} must be set for the AWS deployment`);
    return value;
  };
  const override = source[env.mongodbUri] || null;
  const mongoSecret = override ? null : source[env.mongodbSecretArn];
  if (!override && !mongoSecret)
    throw new Error(`${env.mongodbSecretArn} (or ${env.mongodbUri} as an override) must be set for the AWS deployment`);
  const baseRedisUrl = required(env.redisUrl);
  const redisSecret = source[env.redisAuthSecretArn];
  const capabilityOverride = source[env.capabilitySecret] || null;
  if (capabilityOverride !== null && !/^[0-9a-f]{64,}$/i.test(capabilityOverride))
    throw new Error(`${env.capabilitySecret} must be at least 32 bytes of hex`);
  const capabilitySecretArn = capabilityOverride ? null : source[env.capabilitySecretArn];
  if (!capabilityOverride && !capabilitySecretArn)
    throw new Error(`${env.capabilitySecretArn} (or ${env.capabilitySecret} as an override) must be set for the AWS deployment`);
  const [mongodbUri, redisUrl, capabilitySecret] = await Promise.all([
    override ?? resolveMongoUri(secrets, mongoSecret as string),
    redisSecret ? resolveRedisUrl(secrets, baseRedisUrl, redisSecret) : baseRedisUrl,
    capabilityOverride ? Buffer.from(capabilityOverride, 'hex') : resolveCapabilitySecret(secrets, capabilitySecretArn as string),
  ]);
  return { mongodbUri, mongodbDatabase: source[env.mongodbDatabase] ?? 'hangar', redisUrl, capabilitySecret };
}

/** This container's connections: resolved once (a failure is retried by the next invocation). */
export const awsConnections = onceSuccessful(() => resolveAwsConnections(awsClients.secrets));

/** The DocumentDB/Atlas store, its credentials read from Secrets Manager on first use. */
export const awsDocumentStore = onceSuccessful(async (): Promise<DocumentStore> => {
  const { mongodbUri, mongodbDatabase } = await awsConnections();
  return createMongoDocumentStore({ uri: mongodbUri, databaseName: mongodbDatabase });
});

/** The ElastiCache URL with its AUTH password from Secrets Manager. */
export const awsRedisUrl = async () => (await awsConnections()).redisUrl;

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
