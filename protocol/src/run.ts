import { z } from 'zod';
import { Id, IsoDateTime } from './common';

/**
 * Run lifecycle:
 *
 *   queued ──▶ running ──▶ succeeded
 *                │  ▲  └──▶ failed   (build cap, model error, worker lost: heartbeat missed)
 *                ▼  │  └──▶ stopped  (user pressed stop)
 *        awaiting_approval (plan card: accept / amend)
 *
 * Retry creates a new run for the same app with the same prompt.
 */
export const RunStatus = z.enum(['queued', 'running', 'awaiting_approval', 'succeeded', 'failed', 'stopped']);
export type RunStatus = z.infer<typeof RunStatus>;

export const terminalRunStatuses: readonly RunStatus[] = ['succeeded', 'failed', 'stopped'];
/** The one definition of an active run: it holds its app (no second run starts) and its worker may still report. */
export const activeRunStatuses: readonly RunStatus[] = ['queued', 'running', 'awaiting_approval'];
/** True while a run is queued, running or awaiting approval. */
export const isActiveRunStatus = (status: RunStatus): boolean => activeRunStatuses.includes(status);

export const Usage = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

export const PlanCard = z.strictObject({
  title: z.string().max(200),
  summary: z.string().max(2000),
  steps: z.array(z.string().max(500)).max(30),
});
export type PlanCard = z.infer<typeof PlanCard>;

const text = z.string().max(200_000);

/** Everything that happens in a run, in order. Stored in the run event log and streamed to browsers. */
export const RunEventBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run.queued'), prompt: text }),
  z.strictObject({ type: z.literal('run.started'), workerId: z.string(), provider: z.string(), model: z.string() }),
  z.strictObject({ type: z.literal('message.user'), text }),
  z.strictObject({ type: z.literal('text.delta'), text }),
  z.strictObject({ type: z.literal('reasoning.delta'), text }),
  z.strictObject({ type: z.literal('tool.started'), callId: z.string(), name: z.string(), input: z.unknown() }),
  z.strictObject({
    type: z.literal('tool.finished'),
    callId: z.string(),
    name: z.string(),
    ok: z.boolean(),
    summary: z.string().max(2000),
    /** Unified diff for file edits. */
    diff: text.optional(),
    output: text.optional(),
  }),
  z.strictObject({ type: z.literal('plan.proposed'), plan: PlanCard }),
  z.strictObject({ type: z.literal('plan.decided'), decision: z.enum(['accepted', 'amended']), note: z.string().max(4000).optional() }),
  z.strictObject({
    type: z.literal('build.finished'),
    ok: z.boolean(),
    typecheckErrors: text,
    buildErrors: text,
    durationMs: z.number().nonnegative(),
  }),
  z.strictObject({ type: z.literal('version.created'), versionId: Id, number: z.number().int().positive(), fileCount: z.number().int() }),
  z.strictObject({ type: z.literal('usage'), usage: Usage }),
  /** A model call failed in a way that may pass; the loop waits `delayMs` and tries again. */
  z.strictObject({
    type: z.literal('model.retrying'),
    attempt: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    delayMs: z.number().int().nonnegative(),
    reason: z.string().max(1000),
  }),
  z.strictObject({ type: z.literal('run.succeeded'), versionId: Id.optional(), summary: z.string().max(4000) }),
  z.strictObject({ type: z.literal('run.failed'), reason: z.string().max(4000), retryable: z.boolean() }),
  z.strictObject({ type: z.literal('run.stopped'), by: z.string() }),
  /** App agents, the rule of two: a state-changing call waits for a person (the preview never holds a secret). */
  z.strictObject({
    type: z.literal('agent.call_approval_requested'),
    approvalId: z.string(),
    tool: z.string(),
    preview: z.record(z.string(), z.unknown()),
    host: z.string().nullable(),
  }),
  z.strictObject({
    type: z.literal('agent.call_decided'),
    approvalId: z.string(),
    decision: z.enum(['approved', 'rejected']),
    by: z.string(),
  }),
]);
export type RunEventBody = z.infer<typeof RunEventBody>;
export type RunEventType = RunEventBody['type'];

/** A stored run event: `id` is opaque and ordered within its run (a Redis stream id, or a sequence). */
export const RunEvent = z.strictObject({ id: z.string(), runId: Id, time: IsoDateTime, event: RunEventBody });
export type RunEvent = z.infer<typeof RunEvent>;
