import { z } from 'zod';
import { AgentId } from './agents';

/**
 * `GET /api/workspaces/:w/apps/:a/agents/schedules`: the published schedule triggers of an app's
 * agents and when each fires next. Read by the console; objects are not strict so that a field
 * the control plane adds later does not break an older console.
 */
export const AgentScheduleExpression = z.union([z.object({ cron: z.string(), timezone: z.string() }), z.object({ rate: z.string() })]);
export type AgentScheduleExpression = z.infer<typeof AgentScheduleExpression>;

export const AgentScheduleEntry = z.object({
  id: z.string(),
  agentId: AgentId,
  /** Index of the trigger in the agent's `triggers` array. */
  triggerIndex: z.number().int().nonnegative(),
  expression: AgentScheduleExpression,
  nextFireAt: z.string().nullable(),
  lastFiredAt: z.string().nullable(),
  lastRunId: z.string().nullable(),
});
export type AgentScheduleEntry = z.infer<typeof AgentScheduleEntry>;

export const AgentSchedulesPage = z.object({ items: z.array(AgentScheduleEntry), nextCursor: z.string().nullable() });
export type AgentSchedulesPage = z.infer<typeof AgentSchedulesPage>;

/** `GET|PUT /api/workspaces/:w/agent-settings` */
export const AgentSettingsView = z.object({
  forbidSelfApproval: z.boolean(),
  maxConcurrentRuns: z.number().int(),
  monthlySpendLimitUsd: z.number(),
});
export type AgentSettingsView = z.infer<typeof AgentSettingsView>;
