import { z } from 'zod';

/**
 * The model gateway wire: the worker posts a `ModelGatewayRequest` to
 * `POST /internal/runs/:runId/model` with its run token and reads the answer as NDJSON, one
 * `ModelStreamEvent` per line, as the provider produces them. The control plane holds the
 * provider key, chooses the provider and model, counts usage and enforces spend limits; the
 * worker holds no model key. See docs/decisions/0009-model-gateway.md.
 */

/** Largest request the gateway accepts (the Anthropic Messages API's own limit is 32 MB). */
export const modelGatewayLimits = { maxRequestBytes: 32 * 1024 * 1024, maxEventLineChars: 64 * 1024 * 1024 } as const;

const text = z.string();

export const ModelTextBlock = z.strictObject({ type: z.literal('text'), text });
export const ModelReasoningBlock = z.strictObject({
  type: z.literal('reasoning'),
  text,
  signature: z.string().optional(),
  redactedData: z.string().optional(),
});
export const ModelToolUseBlock = z.strictObject({ type: z.literal('tool_use'), id: z.string().min(1).max(200), name: z.string().min(1).max(200), input: z.unknown() });
export const ModelToolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  toolUseId: z.string().min(1).max(200),
  content: text,
  isError: z.boolean().optional(),
});

export const ModelMessage = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: z.array(z.discriminatedUnion('type', [ModelTextBlock, ModelToolResultBlock])).min(1).max(500) }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.array(z.discriminatedUnion('type', [ModelTextBlock, ModelReasoningBlock, ModelToolUseBlock])).min(1).max(500),
  }),
]);
export type ModelMessage = z.infer<typeof ModelMessage>;

export const ModelToolDefinition = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(20_000),
  inputSchema: z.looseObject({ type: z.literal('object') }),
});

/** One model call. The model is not named: the control plane chooses it for the run. */
export const ModelGatewayRequest = z.strictObject({
  system: z.string().max(500_000),
  messages: z.array(ModelMessage).min(1).max(2000),
  tools: z.array(ModelToolDefinition).max(100),
  maxTokens: z.number().int().min(1).max(200_000),
  thinking: z.strictObject({ budgetTokens: z.number().int().min(1024).max(200_000) }).optional(),
});
export type ModelGatewayRequest = z.infer<typeof ModelGatewayRequest>;

export const ModelStopReason = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'other']);

/** Why a model call failed; the agent loop's retry policy reads only `retryable`. */
export const ModelErrorKind = z.enum([
  'auth',
  'rate_limit',
  'overloaded',
  'server',
  'bad_request',
  'network',
  'timeout',
  'spend_limit',
  'not_configured',
  'aborted',
  'unknown',
]);
export type ModelErrorKind = z.infer<typeof ModelErrorKind>;

const tokens = z.number().int().nonnegative();

/**
 * The normalized stream of one model response, as the gateway sends it: the provider's events,
 * then exactly one `message.stop`, or an `error` line that ends the stream (a failure before
 * or in the middle of the response). `retryAfterMs` is the provider's `retry-after`, if any.
 */
export const ModelStreamEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text.delta'), text }),
  z.strictObject({ type: z.literal('reasoning.delta'), text }),
  z.strictObject({ type: z.literal('reasoning.complete'), text, signature: z.string().optional(), redactedData: z.string().optional() }),
  z.strictObject({ type: z.literal('tool_call.start'), id: z.string(), name: z.string() }),
  z.strictObject({ type: z.literal('tool_call.input_delta'), id: z.string(), partialJson: z.string() }),
  z.strictObject({ type: z.literal('tool_call.complete'), id: z.string(), name: z.string(), input: z.unknown(), parseError: z.string().optional() }),
  z.strictObject({
    type: z.literal('usage'),
    inputTokens: tokens,
    outputTokens: tokens,
    cacheReadTokens: tokens.optional(),
    cacheWriteTokens: tokens.optional(),
  }),
  z.strictObject({ type: z.literal('message.stop'), stopReason: ModelStopReason }),
  z.strictObject({
    type: z.literal('error'),
    kind: ModelErrorKind,
    /** A sentence for people. */
    message: z.string().max(4000),
    retryable: z.boolean(),
    status: z.number().int().optional(),
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
]);
export type ModelStreamEvent = z.infer<typeof ModelStreamEvent>;
export type ModelStreamError = Extract<ModelStreamEvent, { type: 'error' }>;

/** Which provider and model the control plane uses for a run (`GET /internal/runs/:runId/model`). */
export const ModelChoice = z.strictObject({ provider: z.string().max(100), model: z.string().max(200), offline: z.boolean() });
export type ModelChoice = z.infer<typeof ModelChoice>;

/** The content type of the gateway's streamed answer. */
export const modelStreamContentType = 'application/x-ndjson';

/** Environment variables of the control plane's model configuration (never passed to workers). */
export const modelVariables = {
  provider: 'HANGAR_MODEL_PROVIDER',
  model: 'HANGAR_MODEL',
  anthropicKey: 'ANTHROPIC_API_KEY',
  anthropicBaseUrl: 'ANTHROPIC_BASE_URL',
  openAiBaseUrl: 'HANGAR_OPENAI_BASE_URL',
  openAiKey: 'HANGAR_OPENAI_API_KEY',
  awsRegion: 'AWS_REGION',
  scriptedTurns: 'HANGAR_SCRIPTED_TURNS',
  monthlySpendLimitUsd: 'HANGAR_MONTHLY_SPEND_LIMIT_USD',
} as const;
