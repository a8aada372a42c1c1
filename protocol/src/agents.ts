import { z } from 'zod';
import { CollectionName } from './data';

/**
 * `agents.json`: the app agents an app declares, with the HTTP tools they may call and the app
 * data they may touch. The shape is checked here; the policy (domains, secrets, the rule of two)
 * is checked by `validateAgentsDocument` in `agents-policy.ts`.
 */
export const agentsLimits = {
  maxAgents: 20,
  maxTools: 50,
  maxToolsPerAgent: 20,
  maxCollectionsPerAgent: 20,
  maxTriggersPerAgent: 10,
  maxInstructionsLength: 8000,
  maxTemplateLength: 2000,
  maxTemplateEntries: 30,
  maxMockBytes: 64 * 1024,
  maxDocumentBytes: 256 * 1024,
} as const;

/** Ids of agents and names of tools: lower snake case, so they read the same everywhere. */
export const AgentId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,47}$/, 'must be lower case letters, digits, _ or -, starting with a letter (at most 48)');
export const ToolName = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be lower snake case, starting with a letter (at most 48)');
/** Secret names as they appear in `{{secrets.NAME}}`. */
export const SecretName = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be upper snake case like CRM_TOKEN');

const TemplateString = z.string().max(agentsLimits.maxTemplateLength);
const TemplateMap = z
  .record(z.string().min(1).max(100), TemplateString)
  .refine((map) => Object.keys(map).length <= agentsLimits.maxTemplateEntries, `has more than ${agentsLimits.maxTemplateEntries} entries`);

/** The JSON Schema subset a tool input may use: an object of scalar (or scalar array) fields. */
const InputProperty = z.strictObject({
  type: z.enum(['string', 'number', 'integer', 'boolean']),
  description: z.string().max(500).optional(),
  enum: z
    .array(z.union([z.string().max(200), z.number()]))
    .max(50)
    .optional(),
  maxLength: z.number().int().positive().max(10_000).optional(),
});
export const ToolInputSchema = z.strictObject({
  type: z.literal('object'),
  properties: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier'), InputProperty),
  required: z.array(z.string()).max(30).optional(),
  additionalProperties: z.literal(false).optional(),
});
export type ToolInputSchema = z.infer<typeof ToolInputSchema>;

/** A JSON value in a body template: strings may hold placeholders. */
export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };
const TemplateValue: z.ZodType<TemplateValue> = z.lazy(() =>
  z.union([
    TemplateString,
    z.number(),
    z.boolean(),
    z.null(),
    z.array(TemplateValue).max(50),
    z.record(z.string().max(100), TemplateValue),
  ]),
);

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** A custom HTTP tool: a request template locked to one integration domain. */
export const HttpTool = z.strictObject({
  name: ToolName,
  description: z.string().min(1).max(1000),
  method: HttpMethod,
  url: z.string().min(1).max(agentsLimits.maxTemplateLength),
  domain: z
    .string()
    .max(253)
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case DNS name like api.example.com'),
  query: TemplateMap.optional(),
  headers: TemplateMap.optional(),
  body: TemplateValue.optional(),
  inputSchema: ToolInputSchema,
  /** What the tool returns while the configuration is not approved. */
  mock: z.unknown().optional(),
});
export type HttpTool = z.infer<typeof HttpTool>;

export const ManualTrigger = z.strictObject({ type: z.literal('manual') });
export const ScheduleTrigger = z
  .strictObject({
    type: z.literal('schedule'),
    /** Five fields: minute hour day-of-month month day-of-week. */
    cron: z.string().max(100).optional(),
    /** `rate(5 minutes)`, `rate(1 hour)`, `rate(2 days)`. */
    rate: z.string().max(50).optional(),
    timezone: z.string().min(1).max(64).default('UTC'),
    /** What the run receives as its input. */
    input: z.record(z.string().max(64), z.unknown()).optional(),
  })
  .refine((trigger) => (trigger.cron === undefined) !== (trigger.rate === undefined), 'needs exactly one of cron or rate');
export const AgentTrigger = z.union([ManualTrigger, ScheduleTrigger]);
export type AgentTrigger = z.infer<typeof AgentTrigger>;

export const AppAgent = z.strictObject({
  id: AgentId,
  name: z.string().trim().min(1).max(80),
  description: z.string().max(1000).default(''),
  instructions: z.string().min(1).max(agentsLimits.maxInstructionsLength),
  /** A model id, or omitted for the workspace's default model. */
  model: z.string().max(200).optional(),
  tools: z.array(ToolName).max(agentsLimits.maxToolsPerAgent).default([]),
  dataCollections: z
    .strictObject({
      read: z.array(CollectionName).max(agentsLimits.maxCollectionsPerAgent).default([]),
      write: z.array(CollectionName).max(agentsLimits.maxCollectionsPerAgent).default([]),
    })
    .default({ read: [], write: [] }),
  triggers: z
    .array(AgentTrigger)
    .max(agentsLimits.maxTriggersPerAgent)
    .default([{ type: 'manual' }]),
});
export type AppAgent = z.infer<typeof AppAgent>;

export const AgentsDocument = z.strictObject({
  version: z.literal(1),
  agents: z.array(AppAgent).max(agentsLimits.maxAgents),
  tools: z.array(HttpTool).max(agentsLimits.maxTools).default([]),
});
export type AgentsDocument = z.infer<typeof AgentsDocument>;

/** One problem in an agents.json, with where it is (`agents[0].tools[1]`) and why. */
export const AgentsValidationError = z.strictObject({ path: z.string(), message: z.string() });
export type AgentsValidationError = z.infer<typeof AgentsValidationError>;

/**
 * The rule-of-two classes of one agent. An agent that holds all three runs its state-changing
 * calls only after a person approves each exact call.
 */
export const AgentCapabilities = z.strictObject({
  readsUntrustedContent: z.boolean(),
  touchesPrivateData: z.boolean(),
  changesStateOrTalksOutside: z.boolean(),
  requiresCallApproval: z.boolean(),
  /** Why each class holds, in words (`tool lookup_company is an HTTP tool`). */
  reasons: z.array(z.string()),
  /** Tool names (and `update_app_data`) whose calls need a person's approval. */
  approvalRequiredFor: z.array(z.string()),
});
export type AgentCapabilities = z.infer<typeof AgentCapabilities>;

/** `POST …/agents/validate {document}` */
export const ValidateAgentsBody = z.strictObject({ document: z.unknown() });
export const AgentsValidationResult = z.strictObject({
  valid: z.boolean(),
  errors: z.array(AgentsValidationError),
  capabilities: z.record(z.string(), AgentCapabilities),
});
export type AgentsValidationResult = z.infer<typeof AgentsValidationResult>;

/** Where an app keeps its agents, relative to the workspace root. */
export const agentsFilePath = 'agents.json';

export const AgentsApproval = z.strictObject({
  hash: z.string(),
  versionId: z.string().nullable(),
  approvedBy: z.string(),
  approvedByName: z.string(),
  approvedAt: z.string(),
  /** `current` while the draft still hashes the same; any edit makes it `stale`. */
  state: z.enum(['current', 'stale']),
});
export type AgentsApproval = z.infer<typeof AgentsApproval>;

/** `GET /api/workspaces/:w/apps/:a/agents` */
export const AgentsConfigResponse = z.strictObject({
  /** The version the draft was read from; null before the first build. */
  versionId: z.string().nullable(),
  /** The file as written (null when the app declares no agents). */
  text: z.string().nullable(),
  hash: z.string().nullable(),
  validation: AgentsValidationResult,
  approval: AgentsApproval.nullable(),
  /** Unified diff of the canonical, pretty-printed documents since the last approval. */
  diffSinceApproval: z.string().nullable(),
  /** Who last changed the draft (null when unknown). */
  lastEditedBy: z.string().nullable(),
});
export type AgentsConfigResponse = z.infer<typeof AgentsConfigResponse>;

/** `PUT …/agents {document}`: an edit in the console becomes a new version. */
export const UpdateAgentsBody = z.strictObject({ document: z.unknown() });
/** `POST …/agents/approve {hash}` */
export const ApproveAgentsBody = z.strictObject({ hash: z.string().min(1).max(200) });
/** `PUT …/secrets/:name {value}` */
export const SetSecretBody = z.strictObject({ value: z.string().min(1).max(8192) });
export const SecretSummary = z.strictObject({ name: z.string(), updatedAt: z.string(), updatedBy: z.string(), version: z.number().int() });
export type SecretSummary = z.infer<typeof SecretSummary>;
