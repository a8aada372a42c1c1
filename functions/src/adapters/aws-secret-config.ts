import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/** DocumentDB's generated credentials, or an Atlas secret holding a complete `uri`. */
const MongoSecret = z.union([
  z.object({ uri: z.string().min(1).max(4096) }),
  z.object({
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(1024),
    host: z.string().min(1).max(512),
    port: z.coerce.number().int().min(1).max(65535),
  }),
]);

/** The ElastiCache AUTH secret: a password, and a user name for ElastiCache Serverless RBAC. */
const RedisSecret = z.object({ username: z.string().min(1).max(128).optional(), password: z.string().min(16).max(128) });

/** A secret value a deployment stored wrongly; never retried, never a 500 for a client. */
export class SecretFormatError extends Error {
  readonly code = 'secret_format';
  readonly status = 500;
  readonly retryable = false;
  constructor(secretId: string, detail: string) {
    super(`secret ${secretId} is not in the expected format: ${detail}`);
    this.name = 'SecretFormatError';
  }
}

async function readJsonSecret<T>(client: SecretsManagerClient, secretId: string, schema: z.ZodType<T>): Promise<T> {
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  let json: unknown;
  try {
    json = JSON.parse(response.SecretString ?? '');
  } catch {
    throw new SecretFormatError(secretId, 'not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new SecretFormatError(secretId, parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', '));
  return parsed.data;
}

/**
 * The MongoDB connection string from Secrets Manager: Atlas secrets hold it whole; DocumentDB
 * credentials become a TLS URI with DocumentDB's required options (replica set `rs0`, no
 * retryable writes). Read once per container.
 */
export async function resolveMongoUri(client: SecretsManagerClient, secretId: string): Promise<string> {
  const secret = await readJsonSecret(client, secretId, MongoSecret);
  if ('uri' in secret) return secret.uri;
  const credentials = `${encodeURIComponent(secret.username)}:${encodeURIComponent(secret.password)}`;
  return `mongodb://${credentials}@${secret.host}:${secret.port}/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false`;
}

/** The secret that signs capability tokens: a generated string of at least 32 characters, used as its UTF-8 bytes. */
export async function resolveCapabilitySecret(client: SecretsManagerClient, secretId: string): Promise<Buffer> {
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = response.SecretString ?? '';
  if (value.length < 32 || value.length > 4096) throw new SecretFormatError(secretId, 'expected 32 to 4,096 characters');
  return Buffer.from(value, 'utf8');
}

/** `rediss://host:port` plus the AUTH secret → `rediss://[user]:password@host:port`. */
export async function resolveRedisUrl(client: SecretsManagerClient, baseUrl: string, secretId: string): Promise<string> {
  const secret = await readJsonSecret(client, secretId, RedisSecret);
  const url = new URL(baseUrl);
  url.username = secret.username ? encodeURIComponent(secret.username) : '';
  url.password = encodeURIComponent(secret.password);
  return url.toString().replace(/\/$/, '');
}
