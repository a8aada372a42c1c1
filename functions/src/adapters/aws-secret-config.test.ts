import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMongoUri, resolveRedisUrl, SecretFormatError } from './aws-secret-config';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());
const client = () => new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('connection strings from Secrets Manager', () => {
  it('builds a DocumentDB TLS URI from generated credentials, escaping the password', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'docdb' })
      .resolves({
        SecretString: JSON.stringify({ username: 'hangar', password: 'p&ss=w:rd', host: 'db.cluster.local', port: 27217, engine: 'mongo' }),
      });
    const uri = await resolveMongoUri(client(), 'docdb');
    expect(uri).toBe(
      'mongodb://hangar:p%26ss%3Dw%3Ard@db.cluster.local:27217/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false',
    );
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
  it('passes an Atlas URI through', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ uri: 'mongodb+srv://u:p@cluster0.example.mongodb.net/' }) });
    expect(await resolveMongoUri(client(), 'atlas')).toBe('mongodb+srv://u:p@cluster0.example.mongodb.net/');
  });
  it('adds the AUTH password (and a Serverless user) to the Redis URL', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'rg' }).resolves({ SecretString: JSON.stringify({ password: 'a'.repeat(64) }) });
    secrets
      .on(GetSecretValueCommand, { SecretId: 'sl' })
      .resolves({ SecretString: JSON.stringify({ username: 'hangar', password: 'b'.repeat(64) }) });
    expect(await resolveRedisUrl(client(), 'rediss://cache.local:6380', 'rg')).toBe(`rediss://:${'a'.repeat(64)}@cache.local:6380`);
    expect(await resolveRedisUrl(client(), 'rediss://cache.local:6379', 'sl')).toBe(`rediss://hangar:${'b'.repeat(64)}@cache.local:6379`);
  });
  it('refuses a malformed secret with a typed, non-retryable error', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"x"}' });
    await expect(resolveMongoUri(client(), 'bad')).rejects.toBeInstanceOf(SecretFormatError);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'not json' });
    await expect(resolveRedisUrl(client(), 'rediss://h:1', 'bad')).rejects.toMatchObject({ code: 'secret_format', retryable: false });
  });
});
