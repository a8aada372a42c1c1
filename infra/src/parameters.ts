import { defaultRunStartAllowanceSeconds } from '@hangar/protocol';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const count = (max: number) => z.coerce.number().int().min(0).max(max);

/**
 * Deployment parameters, given as CDK context (`-c name=value` or cdk.json). Validated once so a
 * typo fails synthesis with a message instead of deploying something else.
 */
export const parametersSchema = z
  .object({
    /** `documentdb`: the stack creates a cluster. `atlas`: an existing MongoDB Atlas cluster. */
    database: z.enum(['documentdb', 'atlas']).default('documentdb'),
    /** Atlas only: Secrets Manager secret (name or ARN) whose JSON holds `{ "uri": "mongodb+srv://…" }`. */
    atlasUriSecret: text(512).optional(),
    /** Atlas only: the partner event source Atlas Triggers publish to (aws.partner/mongodb.com/…). */
    atlasEventSource: text(256).optional(),
    databaseName: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,38}$/)
      .default('hangar'),
    /** DocumentDB instance class and count (1 writer + readers). */
    documentDbInstanceClass: text(64).default('db.t4g.medium'),
    documentDbInstances: z.coerce.number().int().min(1).max(8).default(1),
    /** `replication-group`: node-based Valkey (TLS + AUTH token). `serverless`: ElastiCache Serverless. */
    cache: z.enum(['replication-group', 'serverless']).default('replication-group'),
    cacheNodeType: text(64).default('cache.t4g.small'),
    /** `cognito`: the stack creates a user pool with a hosted UI. `oidc`: an external issuer. */
    auth: z.enum(['cognito', 'oidc']).default('cognito'),
    oidcIssuer: z.string().url().max(512).optional(),
    /** The audience (client id) the external issuer puts in ID tokens. */
    oidcAudience: text(256).optional(),
    /** Cognito hosted UI domain prefix (globally unique within the region). */
    cognitoDomainPrefix: z
      .string()
      .regex(/^[a-z0-9-]{3,63}$/)
      .optional(),
    /** `anthropic`: the gateway calls the Anthropic API with the key in `anthropicKeySecret`. `bedrock`: Amazon Bedrock. */
    modelProvider: z.enum(['anthropic', 'bedrock', 'offline']).default('offline'),
    anthropicKeySecret: text(512).optional(),
    model: text(128).optional(),
    /** Custom domains: each needs a certificate in us-east-1 (CloudFront). */
    consoleDomain: text(253).optional(),
    previewDomain: text(253).optional(),
    certificateArn: text(2048).optional(),
    /** Worker tasks kept started and idle so a run skips the Fargate start (0 = none). */
    warmPoolSize: count(50).default(0),
    /** Seconds a queued run may wait for its worker's first heartbeat (Fargate starts take 30–90 s). */
    runStartAllowanceSeconds: z.coerce.number().int().min(20).max(3600).default(defaultRunStartAllowanceSeconds),
    workerCpu: z.coerce
      .number()
      .int()
      .refine((value) => [1024, 2048, 4096, 8192].includes(value))
      .default(2048),
    workerMemoryMiB: z.coerce.number().int().min(2048).max(30720).default(4096),
    /** Fargate ephemeral storage: template dependencies + a workspace's node_modules and builds. */
    workerEphemeralGiB: z.coerce.number().int().min(21).max(200).default(50),
    natGateways: count(3).default(1),
    /** Interface endpoints (ECR, Logs, Secrets Manager, SQS, KMS): off saves ≈ $88/month, traffic then uses the NAT. */
    interfaceEndpoints: flag.default(true),
    logRetentionDays: z.coerce.number().int().min(1).max(3653).default(30),
    /** Email address subscribed to the alarm topic (optional). */
    alarmEmail: z.string().email().max(254).optional(),
    /** Keep data stores and buckets on `cdk destroy` (default true: a teardown never loses data by accident). */
    retainData: flag.default(true),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.database === 'atlas' && (!value.atlasUriSecret || !value.atlasEventSource))
      context.addIssue({ code: 'custom', message: 'database=atlas needs atlasUriSecret and atlasEventSource' });
    if (value.auth === 'oidc' && (!value.oidcIssuer || !value.oidcAudience))
      context.addIssue({ code: 'custom', message: 'auth=oidc needs oidcIssuer and oidcAudience' });
    if (value.modelProvider === 'anthropic' && !value.anthropicKeySecret)
      context.addIssue({ code: 'custom', message: 'modelProvider=anthropic needs anthropicKeySecret' });
    if ((value.consoleDomain || value.previewDomain) && !value.certificateArn)
      context.addIssue({ code: 'custom', message: 'consoleDomain/previewDomain need certificateArn (us-east-1)' });
  });

export type HangarParameters = z.output<typeof parametersSchema>;

/** The context keys this app reads (the rest of the context belongs to the CDK itself). */
export const parameterNames = Object.keys(parametersSchema.shape) as (keyof HangarParameters)[];

/** Reads and validates the parameters from a construct's context. */
export function readParameters(tryGetContext: (key: string) => unknown): HangarParameters {
  const raw: Record<string, unknown> = {};
  for (const name of parameterNames) {
    const value = tryGetContext(name);
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const parsed = parametersSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `Invalid Hangar parameters: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(all)'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}
