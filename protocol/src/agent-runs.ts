import { z } from 'zod';
import { AgentId, AppAgent, HttpTool, ToolName } from './agents';
import { CollectionName, DataFilterSchema, DataScope, DocumentId } from './data';

/**
 * The wire of app-agent runs: what the worker is told about the agent it runs, and the internal
 * API it calls for tools and app data. Tools and data run in the control plane, which checks
 * everything again: the worker's own checks are a convenience, not the boundary.
 */
export const AgentRunInput = z
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16 * 1024, 'is larger than 16 KB');
export type AgentRunInput = z.infer<typeof AgentRunInput>;

export const AgentTriggerKind = z.enum(['manual', 'schedule']);
export type AgentTriggerKind = z.infer<typeof AgentTriggerKind>;

/** What an agent run is, in the run's context. */
export const AgentRunSpec = z.strictObject({
  agentId: AgentId,
  agent: AppAgent,
  /** The agent's declared tools (templates only: secrets stay placeholders). */
  tools: z.array(HttpTool),
  /** False while the configuration is not approved: tools answer mock data and no app data is reachable. */
  live: z.boolean(),
  scope: DataScope,
  input: AgentRunInput,
  trigger: AgentTriggerKind,
  /** Tool names (and update_app_data) whose calls wait for a person's approval (the rule of two). */
  approvalRequiredFor: z.array(z.string()),
});
export type AgentRunSpec = z.infer<typeof AgentRunSpec>;

/** `POST /api/workspaces/:w/apps/:a/agents/:agentId/runs {input}` */
export const StartAgentRunBody = z.strictObject({ input: AgentRunInput.default({}), scope: DataScope.optional() });
export type StartAgentRunBody = z.infer<typeof StartAgentRunBody>;

/** `POST /internal/runs/:r/tools/:name {input, approvalId?}` */
export const AgentToolCallBody = z.strictObject({ input: z.unknown(), approvalId: z.string().max(64).optional() });
export const AgentToolCallResponse = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ok'), mock: z.boolean(), httpStatus: z.number().int(), body: z.string(), host: z.string() }),
  z.strictObject({
    status: z.literal('error'),
    category: z.enum(['credential', 'permission', 'input', 'rate_limit', 'provider', 'policy']),
    message: z.string(),
    retryable: z.boolean(),
  }),
  /** The rule of two: a person must approve this exact call first; wait for `call.decided`. */
  z.strictObject({ status: z.literal('approval_required'), approvalId: z.string() }),
]);
export type AgentToolCallResponse = z.infer<typeof AgentToolCallResponse>;

/** `POST /internal/runs/:r/data/read` */
export const AgentDataReadBody = z.strictObject({
  collection: CollectionName,
  filter: DataFilterSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
/** `POST /internal/runs/:r/data/write` */
export const AgentDataWriteBody = z.discriminatedUnion('operation', [
  z.strictObject({
    operation: z.literal('insert'),
    collection: CollectionName,
    document: z.record(z.string(), z.unknown()),
    approvalId: z.string().max(64).optional(),
  }),
  z.strictObject({
    operation: z.literal('update'),
    collection: CollectionName,
    id: DocumentId,
    set: z.record(z.string(), z.unknown()),
    approvalId: z.string().max(64).optional(),
  }),
  z.strictObject({ operation: z.literal('delete'), collection: CollectionName, id: DocumentId, approvalId: z.string().max(64).optional() }),
]);
export type AgentDataWriteBody = z.infer<typeof AgentDataWriteBody>;
export const AgentDataResponse = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ok'), items: z.array(z.record(z.string(), z.unknown())) }),
  z.strictObject({ status: z.literal('approval_required'), approvalId: z.string() }),
]);
export type AgentDataResponse = z.infer<typeof AgentDataResponse>;

/** A pending call a person must approve: what will be sent, never a secret. */
export const CallApproval = z.strictObject({
  id: z.string(),
  runId: z.string(),
  agentId: AgentId,
  tool: z.union([ToolName, z.literal('update_app_data')]),
  /** The request with secrets as placeholders, or the data write. */
  preview: z.record(z.string(), z.unknown()),
  host: z.string().nullable(),
  state: z.enum(['pending', 'approved', 'rejected']),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type CallApproval = z.infer<typeof CallApproval>;

/** `POST …/call-approvals/:id/decision` */
export const CallDecisionBody = z.strictObject({ decision: z.enum(['approve', 'reject']), note: z.string().max(1000).optional() });

/** When a schedule fires: five-field cron in an IANA time zone, or a fixed rate. */
export const ScheduleExpression = z.union([
  z.strictObject({ cron: z.string().max(100), timezone: z.string().max(64) }),
  z.strictObject({ rate: z.string().max(50) }),
]);
export type ScheduleExpression = z.infer<typeof ScheduleExpression>;

/** One schedule of a published app agent (one per schedule trigger). */
export const AgentSchedule = z.strictObject({
  id: z.string(),
  agentId: AgentId,
  /** The trigger's position in the agent's `triggers`. */
  triggerIndex: z.number().int().min(0),
  expression: ScheduleExpression,
  nextFireAt: z.string().nullable(),
  lastFiredAt: z.string().nullable(),
  lastRunId: z.string().nullable(),
});
export type AgentSchedule = z.infer<typeof AgentSchedule>;

/** `GET /api/workspaces/:w/apps/:a/agents/schedules` */
export const AgentSchedulesResponse = z.strictObject({ items: z.array(AgentSchedule), nextCursor: z.null() });
export type AgentSchedulesResponse = z.infer<typeof AgentSchedulesResponse>;
/** One agent an app may run, as the app sees it (`useAgentList`): never its instructions or tools. */
export const AgentSummary = z.strictObject({
  id: AgentId,
  name: z.string().max(80),
  description: z.string().max(1000),
  /** Whether a person may start it from the app (a `manual` trigger); schedule-only agents are listed too. */
  manualTrigger: z.boolean(),
  /** False while the draft configuration is not approved: its tools answer mock data and it reaches no app data. */
  live: z.boolean(),
});
export type AgentSummary = z.infer<typeof AgentSummary>;

/** `GET /api/workspaces/:w/apps/:a/agents/catalog?scope=draft|published` */
export const AgentCatalogQuery = z.strictObject({ scope: DataScope.default('published') });
export const AgentCatalog = z.strictObject({ items: z.array(AgentSummary).max(20) });
export type AgentCatalog = z.infer<typeof AgentCatalog>;
