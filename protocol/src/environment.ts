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
  // AWS deployment (set by infra/, read by the Lambda entry points and the AWS composition).
  /** Secrets Manager secret with the DocumentDB credentials ({username,password,host,port}) or an Atlas `{uri}`. */
  mongodbSecretArn: 'HANGAR_MONGODB_SECRET_ARN',
  /** Secrets Manager secret holding the ElastiCache AUTH token (HANGAR_REDIS_URL carries no password). */
  redisAuthSecretArn: 'HANGAR_REDIS_AUTH_SECRET_ARN',
  /** S3 bucket of content-addressed snapshot blobs. */
  blobBucket: 'HANGAR_BLOB_BUCKET',
  /** SQS queue of run requests that the launcher Lambda turns into ECS tasks. */
  runQueueUrl: 'HANGAR_RUN_QUEUE_URL',
  ecsClusterArn: 'HANGAR_ECS_CLUSTER_ARN',
  workerTaskDefinitionArn: 'HANGAR_WORKER_TASK_DEFINITION_ARN',
  workerContainerName: 'HANGAR_WORKER_CONTAINER_NAME',
  /** Comma-separated private subnet ids for worker tasks. */
  workerSubnetIds: 'HANGAR_WORKER_SUBNET_IDS',
  /** Comma-separated security group ids for worker tasks. */
  workerSecurityGroupIds: 'HANGAR_WORKER_SECURITY_GROUP_IDS',
  /** The control plane's internal API base URL as a worker reaches it. */
  controlPlaneUrl: 'HANGAR_CONTROL_PLANE_URL',
  /** Set on each worker: the run it serves and its run-scoped bearer token. */
  runId: 'HANGAR_RUN_ID',
  runToken: 'HANGAR_RUN_TOKEN',
  /** The control-plane model gateway (a Lambda function URL) that workers send model calls to. */
  modelGatewayUrl: 'HANGAR_MODEL_GATEWAY_URL',
  /** Secrets Manager secret with the Anthropic API key; only the model gateway reads it. */
  anthropicKeySecretArn: 'HANGAR_ANTHROPIC_KEY_SECRET_ARN',
  modelProvider: 'HANGAR_MODEL_PROVIDER',
  model: 'HANGAR_MODEL',
  /** KMS key that encrypts app secrets (envelope encryption; the secret-store adapter comes later). */
  secretsKeyArn: 'HANGAR_SECRETS_KEY_ARN',
  /** EventBridge Scheduler group and the role schedules assume, for app-agent triggers. */
  schedulerGroupName: 'HANGAR_SCHEDULER_GROUP_NAME',
  schedulerRoleArn: 'HANGAR_SCHEDULER_ROLE_ARN',
  /** The Lambda that schedules invoke (`schedule-fire.lambda.ts`); set on the functions that create schedules. */
  scheduleFireFunctionArn: 'HANGAR_SCHEDULE_FIRE_FUNCTION_ARN',
  /** Base URL of the preview distribution (its own origin, never the console's). */
  previewBaseUrl: 'HANGAR_PREVIEW_BASE_URL',
  /**
   * Seconds a queued run may wait for its worker's first heartbeat before the sweeper fails it
   * (a Fargate task takes 30–90 s to start). Read by `run-sweeper.lambda.ts`, set by infra/.
   */
  runStartAllowanceSeconds: 'HANGAR_RUN_START_ALLOWANCE_SECONDS',
  /** Structured log level of the Lambda entry points (Powertools Logger). */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The start allowance the stack sets for Fargate workers, and the runtime's default. */
export const defaultRunStartAllowanceSeconds = 180;

/**
 * The typed reading of `HANGAR_RUN_START_ALLOWANCE_SECONDS`, shared by the stack (which sets
 * it) and the sweeper (which reads it): whole seconds, 20 to 3,600; unset means the default.
 * Anything else throws naming the variable, so a bad deployment fails its first sweep loudly.
 */
export function runStartAllowanceMs(source: Record<string, string | undefined>): number {
  const text = source[environmentVariables.runStartAllowanceSeconds];
  if (text === undefined || text === '') return defaultRunStartAllowanceSeconds * 1000;
  const seconds = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(seconds >= 20 && seconds <= 3600))
    throw new Error(`${environmentVariables.runStartAllowanceSeconds} must be whole seconds from 20 to 3600 (got "${text.slice(0, 20)}")`);
  return seconds * 1000;
}
