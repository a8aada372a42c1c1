import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { environmentVariables as env } from '@hangar/protocol';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsClients, awsConnections, resolveAwsConnections } from './aws-runtime';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => {
  secrets.reset();
  vi.unstubAllEnvs();
});
const client = () => new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

const mongoArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hangar-docdb-AbCdEf';
const redisArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hangar-redis-auth-GhIjKl';
const docdbSecret = JSON.stringify({ username: 'hangar', password: 'pw/1', host: 'docdb.cluster.local', port: 27017 });
const redisSecret = JSON.stringify({ password: 'r'.repeat(32) });
const capabilityArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hangar-capability-MnOpQr';
const capabilityValue = 'k'.repeat(64);
/** What the stack sets (infra/src/hangar-stack.ts `shared`). */
const stackEnvironment = {
  [env.mongodbSecretArn]: mongoArn,
  [env.mongodbDatabase]: 'hangar_prod',
  [env.redisUrl]: 'rediss://cache.local:6379',
  [env.redisAuthSecretArn]: redisArn,
  [env.capabilitySecretArn]: capabilityArn,
};

const secretIds = () => secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);

describe('AWS connections from Secrets Manager', () => {
  it('reads the DocumentDB credentials, the Redis AUTH token and the signing key with one GetSecretValue each', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: mongoArn }).resolves({ SecretString: docdbSecret });
    secrets.on(GetSecretValueCommand, { SecretId: redisArn }).resolves({ SecretString: redisSecret });
    secrets.on(GetSecretValueCommand, { SecretId: capabilityArn }).resolves({ SecretString: capabilityValue });
    expect(await resolveAwsConnections(client(), stackEnvironment)).toEqual({
      mongodbUri:
        'mongodb://hangar:pw%2F1@docdb.cluster.local:27017/?tls=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false',
      mongodbDatabase: 'hangar_prod',
      redisUrl: `rediss://:${'r'.repeat(32)}@cache.local:6379`,
      capabilitySecret: Buffer.from(capabilityValue, 'utf8'),
    });
    expect(secretIds()).toEqual(expect.arrayContaining([{ SecretId: mongoArn }, { SecretId: redisArn }, { SecretId: capabilityArn }]));
    expect(secretIds()).toHaveLength(3);
  });

  it('takes MONGODB_URI and a hex HANGAR_CAPABILITY_SECRET as local overrides without reading their secrets, and a Redis URL without a secret as it is', async () => {
    const local = {
      [env.mongodbUri]: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
      [env.redisUrl]: 'redis://127.0.0.1:6379',
      [env.capabilitySecret]: 'ab'.repeat(32),
    };
    expect(
      await resolveAwsConnections(client(), { ...local, [env.mongodbSecretArn]: mongoArn, [env.capabilitySecretArn]: capabilityArn }),
    ).toEqual({
      mongodbUri: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
      mongodbDatabase: 'hangar',
      redisUrl: 'redis://127.0.0.1:6379',
      capabilitySecret: Buffer.from('ab'.repeat(32), 'hex'),
    });
    expect(secretIds()).toEqual([]);
  });

  it('names what is missing', async () => {
    await expect(resolveAwsConnections(client(), { [env.redisUrl]: 'rediss://cache.local:6379' })).rejects.toThrow(env.mongodbSecretArn);
    await expect(resolveAwsConnections(client(), { [env.mongodbSecretArn]: mongoArn })).rejects.toThrow(env.redisUrl);
    const withoutKey = { [env.mongodbSecretArn]: mongoArn, [env.redisUrl]: 'rediss://cache.local:6379' };
    await expect(resolveAwsConnections(client(), withoutKey)).rejects.toThrow(env.capabilitySecretArn);
    await expect(resolveAwsConnections(client(), { ...withoutKey, [env.capabilitySecret]: 'not-hex' })).rejects.toThrow('hex');
  });

  it('refuses a signing key shorter than 32 characters, naming the secret and never its value', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: mongoArn }).resolves({ SecretString: docdbSecret });
    secrets.on(GetSecretValueCommand, { SecretId: redisArn }).resolves({ SecretString: redisSecret });
    secrets.on(GetSecretValueCommand, { SecretId: capabilityArn }).resolves({ SecretString: 'short-key' });
    const refused = resolveAwsConnections(client(), stackEnvironment);
    await expect(refused).rejects.toThrow(capabilityArn);
    await expect(refused).rejects.not.toThrow('short-key');
  });

  it('resolves once per container through the shared client, and tries again after a failure', async () => {
    for (const [name, value] of Object.entries(stackEnvironment)) vi.stubEnv(name, value);
    vi.stubEnv(env.mongodbUri, '');
    secrets.on(GetSecretValueCommand, { SecretId: mongoArn }).rejectsOnce(new Error('throttled')).resolves({ SecretString: docdbSecret });
    secrets.on(GetSecretValueCommand, { SecretId: redisArn }).resolves({ SecretString: redisSecret });
    secrets.on(GetSecretValueCommand, { SecretId: capabilityArn }).resolves({ SecretString: capabilityValue });
    await expect(awsConnections()).rejects.toThrow('throttled');
    const [first, second] = await Promise.all([awsConnections(), awsConnections()]);
    expect(second).toBe(first);
    expect(await awsConnections()).toBe(first);
    expect(first?.redisUrl).toBe(`rediss://:${'r'.repeat(32)}@cache.local:6379`);
    // Three reads for the failed cold start, three for the one that succeeded; none after.
    expect(secretIds()).toHaveLength(6);
    expect(secrets.commandCalls(GetSecretValueCommand).every((call) => call.thisValue === awsClients.secrets)).toBe(true);
  });
});
