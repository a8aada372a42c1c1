import type { DocumentStore } from '../ports/document-store';
import { awsBlobStore, awsConnections, awsRunLauncher, type AwsConnections } from './aws-runtime';
import { KMSClient } from '@aws-sdk/client-kms';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { appAgentScheduleGroup, createEventBridgeScheduler } from '../adapters/eventbridge-scheduler';
import { createKmsSecretCipher } from '../adapters/kms-secret-cipher';
import { createSafeHttpClient } from '../adapters/outbound/safe-http-client';
import { environmentVariables as env } from '@hangar/protocol';
import { ApiGatewayConnectionPusher } from '../adapters/apigateway-connection-pusher';
import { createMongoDocumentStore } from '../adapters/mongo-document-store';
import { createRedisConnectionRegistry } from '../adapters/redis-connection-registry';
import { createRedisRunEventLog } from '../adapters/redis-run-event-log';
import { createOidcAuthenticator } from '../auth/authenticator';
import { createOidcVerifier } from '../auth/oidc-verifier';
import { modelConfigurationFromEnvironment } from './model-configuration';
import { composeControlPlane, type ControlPlane } from '../composition/compose-control-plane';
import type { ControlPlanePorts } from '../composition/control-plane-ports';
import { HangarError } from '../domain/errors';
import type { BlobStore } from '../ports/blob-store';
import { systemClock } from '../ports/clock';
import { sortableIdGenerator } from '../ports/id-generator';
import type { RunLauncher } from '../ports/run-launcher';
import { onceSuccessful } from './once-successful';

/**
 * The AWS deployment's settings, read once from the environment (names in
 * `protocol/src/environment.ts`). Connection strings are not here: their credentials live in
 * Secrets Manager and are resolved by `awsConnections()` (aws-runtime.ts).
 */
export interface AwsSettings {
  oidc: { issuer: string; audience: string; jwksUri?: string };
  websocketManagementEndpoint: string;
  region: string;
  allowedOrigins: string[];
  /** The KMS key that seals app secrets. */
  secretsKeyId: string;
  /** EventBridge Scheduler: the group, the role schedules assume, and their target (absent in the target itself). */
  schedules: { groupName: string; roleArn: string; targetArn: string | null };
  internalApiUrl: string;
  version: string;
}

/** Reads the settings; throws naming the first missing variable, so the first invocation says what is wrong. */
export function awsSettingsFromEnvironment(source: Record<string, string | undefined> = process.env): AwsSettings {
  const required = (name: string): string => {
    const value = source[name];
    if (!value) throw new Error(`${name} must be set for the AWS deployment`);
    return value;
  };
  const jwksUri = source[env.oidcJwksUri];
  return {
    oidc: { issuer: required(env.oidcIssuer), audience: required(env.oidcAudience), ...(jwksUri ? { jwksUri } : {}) },
    websocketManagementEndpoint: required(env.websocketManagementEndpoint),
    region: required('AWS_REGION'),
    allowedOrigins:
      source[env.trustedOrigins]
        ?.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean) ?? [],
    secretsKeyId: required(env.secretsKeyArn),
    schedules: {
      groupName: source[env.schedulerGroupName] ?? appAgentScheduleGroup,
      roleArn: required(env.schedulerRoleArn),
      // The fire Lambda cannot be told its own ARN (a cycle in the stack); it only fires and removes.
      targetArn: source[env.scheduleFireFunctionArn] || null,
    },
    internalApiUrl: required(env.controlPlaneUrl),
    version: source.HANGAR_VERSION ?? '0.1.0',
  };
}

/** A builder port this deployment has no adapter for yet: every use fails with a reason people can read. */
const notConfigured = (what: string) => () =>
  Promise.reject(new HangarError(503, 'unavailable', `${what} is not configured in this deployment.`, { retryable: false }));

/**
 * The adapters an AWS deployment may choose for the builder's ports. Each is a factory from the
 * settings, so a new adapter (S3 blobs, an SQS → ECS launcher) is one more typed entry here.
 */
export interface AwsBuilderAdapters {
  blobs: (settings: AwsSettings) => BlobStore;
  launcher: (settings: AwsSettings, store: DocumentStore) => RunLauncher;
}

/** The deployed adapters: snapshots in S3, runs through SQS to the launcher Lambda and ECS RunTask. */
export const s3AndSqsBuilderAdapters: AwsBuilderAdapters = {
  blobs: () => awsBlobStore(),
  launcher: (_settings, store) => awsRunLauncher(store),
};

/** Until the S3 and ECS adapters land, snapshots and runs answer 503 with the reason. */
export const unconfiguredBuilderAdapters: AwsBuilderAdapters = {
  blobs: () => ({
    kind: 'unconfigured',
    put: notConfigured('Snapshot storage (S3)'),
    get: notConfigured('Snapshot storage (S3)'),
    has: notConfigured('Snapshot storage (S3)'),
  }),
  launcher: () => ({ kind: 'unconfigured', launch: notConfigured('The run launcher (SQS → ECS)'), stop: () => Promise.resolve() }),
};

/** Chooses the AWS adapters: DocumentDB/Mongo store, Redis run log and registry, OIDC, API Gateway pushes, EventBridge schedules. */
export function awsPorts(
  settings: AwsSettings,
  connections: AwsConnections,
  builder: AwsBuilderAdapters = unconfiguredBuilderAdapters,
): ControlPlanePorts {
  const store = createMongoDocumentStore({ uri: connections.mongodbUri, databaseName: connections.mongodbDatabase });
  return {
    store,
    runEvents: createRedisRunEventLog({ url: connections.redisUrl }),
    blobs: builder.blobs(settings),
    launcher: builder.launcher(settings, store),
    // Subscriptions (data and runs) live in ElastiCache so every Lambda container sees them.
    registry: createRedisConnectionRegistry({ url: connections.redisUrl }),
    pusher: new ApiGatewayConnectionPusher({ endpoint: settings.websocketManagementEndpoint, region: settings.region }),
    authenticator: createOidcAuthenticator(createOidcVerifier(settings.oidc)),
    sessionCodec: null,
    capabilitySecret: connections.capabilitySecret,
    secretCipher: createKmsSecretCipher({ kms: new KMSClient({ region: settings.region }), keyId: settings.secretsKeyId }),
    outbound: createSafeHttpClient(),
    scheduler: createEventBridgeScheduler({
      client: new SchedulerClient({ region: settings.region }),
      groupName: settings.schedules.groupName,
      roleArn: settings.schedules.roleArn,
      targetArn: settings.schedules.targetArn,
      clock: systemClock,
    }),
    clock: systemClock,
    ids: sortableIdGenerator,
  };
}

/**
 * The AWS composition: the one control plane over AWS-shaped ports. API Gateway routes by
 * domain (no Host list); data changes arrive through the DocumentDB change-stream Lambda.
 */
export function composeAws(
  ports: ControlPlanePorts,
  settings: Pick<AwsSettings, 'version' | 'internalApiUrl' | 'allowedOrigins' | 'oidc'>,
): Promise<ControlPlane> {
  return composeControlPlane(ports, {
    version: settings.version,
    internalApiUrl: settings.internalApiUrl,
    models: modelConfigurationFromEnvironment(process.env),
    allowedOrigins: settings.allowedOrigins,
    allowedHosts: null,
    dataFeed: 'documentdb-stream',
    oidc: { issuer: settings.oidc.issuer, audience: settings.oidc.audience },
    log: (message) => console.log(JSON.stringify({ level: 'info', msg: message })),
  });
}

/** One composition per container, shared by the HTTP, WebSocket and relay entry points. */
export const awsComposition = onceSuccessful(async () => {
  const settings = awsSettingsFromEnvironment();
  // MongoDB and Redis credentials from Secrets Manager (MONGODB_URI overrides for local runs).
  const ports = awsPorts(settings, await awsConnections(), s3AndSqsBuilderAdapters);
  try {
    return await composeAws(ports, settings);
  } catch (error) {
    // The next invocation builds new clients; these must not leak.
    await Promise.allSettled([ports.store.close(), ports.runEvents.close(), ports.registry.close()]);
    throw error;
  }
});
