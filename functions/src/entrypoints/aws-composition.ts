import { environmentVariables as env } from '@hangar/protocol';
import { ApiGatewayConnectionPusher } from '../adapters/apigateway-connection-pusher';
import { createMongoDocumentStore } from '../adapters/mongo-document-store';
import { createRedisConnectionRegistry } from '../adapters/redis-connection-registry';
import { DataService } from '../domain/data-service';
import { DataRelay } from '../realtime/data-relay';
import { createDocumentDbRelay, documentDbRelayEpoch } from '../realtime/documentdb-relay';
import { createOidcAuthenticator } from '../auth/authenticator';
import { createOidcVerifier } from '../auth/oidc-verifier';
import { createServices } from '../domain/services';
import { createApp } from '../http/create-app';
import { systemClock } from '../ports/clock';
import { sortableIdGenerator } from '../ports/id-generator';
import { createSessionHandlers } from '../realtime/session-handlers';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the AWS deployment`);
  return value;
}

/**
 * The AWS composition root: MongoDB/DocumentDB store, OIDC bearer tokens, and the API Gateway
 * management API for pushes. Built once per Lambda container.
 */
export async function composeAws() {
  const store = createMongoDocumentStore({ uri: required(env.mongodbUri), databaseName: process.env[env.mongodbDatabase] ?? 'hangar' });
  const services = await createServices({ store, ids: sortableIdGenerator, clock: systemClock });
  const jwksUri = process.env[env.oidcJwksUri];
  const oidc = { issuer: required(env.oidcIssuer), audience: required(env.oidcAudience) };
  const authenticator = createOidcAuthenticator(createOidcVerifier({ ...oidc, ...(jwksUri ? { jwksUri } : {}) }));
  const trustedOrigins = process.env[env.trustedOrigins]?.split(',').filter(Boolean) ?? [];
  const app = createApp({
    services,
    authenticator,
    sessionCodec: null,
    config: { version: process.env.HANGAR_VERSION ?? '0.1.0', storeKind: store.kind, trustedOrigins, oidc },
  });
  const pusher = new ApiGatewayConnectionPusher({ endpoint: required(env.websocketManagementEndpoint), region: required('AWS_REGION') });
  // Live data: subscriptions live in ElastiCache so every Lambda container sees them.
  const registry = createRedisConnectionRegistry({ url: required(env.redisUrl) });
  const data = new DataService(store, services.access, services.audit, sortableIdGenerator, systemClock);
  const relayChanges = createDocumentDbRelay({ store, registry, pusher, scopeOf: (name) => data.scopeOf(name) });
  // The WebSocket handlers only register subscriptions; the DocumentDB relay numbers and pushes changes.
  const relay = new DataRelay({
    store,
    registry,
    pusher,
    scopeOf: (name) => data.scopeOf(name),
    epoch: documentDbRelayEpoch,
    sequenceOf: relayChanges.sequenceOf,
  });
  const websocketHandlers = createSessionHandlers({
    authenticator,
    pusher,
    store,
    clock: systemClock,
    trustedOrigins,
    data: { relay, service: data },
  });

  return { app, websocketHandlers, relayChanges };
}

let composed: ReturnType<typeof composeAws> | null = null;
/** One composition per container, shared by the HTTP and WebSocket entry points. */
export const awsComposition = () => (composed ??= composeAws());
