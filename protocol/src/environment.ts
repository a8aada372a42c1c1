/**
 * Environment variable names, defined once. The local host, the Lambda entry points and the
 * CDK app all read or set these names.
 */
export const environmentVariables = {
  port: 'PORT',
  host: 'HANGAR_HOST',
  dataDir: 'HANGAR_DATA_DIR',
  authMode: 'HANGAR_AUTH_MODE',
  oidcIssuer: 'HANGAR_OIDC_ISSUER',
  oidcAudience: 'HANGAR_OIDC_AUDIENCE',
  oidcJwksUri: 'HANGAR_OIDC_JWKS_URI',
  mongodbUri: 'MONGODB_URI',
  mongodbDatabase: 'HANGAR_MONGODB_DATABASE',
  websocketManagementEndpoint: 'HANGAR_WEBSOCKET_MANAGEMENT_ENDPOINT',
  trustedOrigins: 'HANGAR_TRUSTED_ORIGINS',
  redisUrl: 'HANGAR_REDIS_URL',
  /** Hex secret that signs run and preview capability tokens; the same in every Lambda. */
  capabilitySecret: 'HANGAR_CAPABILITY_SECRET',
  /** The KMS key (id or ARN) that seals app secrets (AWS). */
  secretsKmsKeyId: 'HANGAR_SECRETS_KMS_KEY_ID',
  /** The internal API base URL workers are given (the HTTP API's URL on AWS). */
  internalApiUrl: 'HANGAR_INTERNAL_API_URL',
} as const;
