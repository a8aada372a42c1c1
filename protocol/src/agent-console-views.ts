import { z } from 'zod';

/** `GET|PUT /api/workspaces/:w/agent-settings` */
export const AgentSettingsView = z.object({
  forbidSelfApproval: z.boolean(),
  maxConcurrentRuns: z.number().int(),
  monthlySpendLimitUsd: z.number(),
});
export type AgentSettingsView = z.infer<typeof AgentSettingsView>;
