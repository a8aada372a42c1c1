import type { TokenUsage } from './model-provider';

/** Prices in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing to the prompt cache (5-minute lifetime). */
  cacheWrite: number;
  cacheRead: number;
}

/**
 * Estimated list prices of a few Claude models (Anthropic API, USD per million tokens, as
 * published in 2025). They are estimates for showing usage, not billing: check current pricing,
 * and note that Bedrock regional endpoints and batch or priority tiers are priced differently.
 */
export const estimatedModelPrices: Readonly<Record<string, ModelPrice>> = {
  // Newer Sonnets (the default model is one): priced like every Sonnet since 3.5 until a
  // published price says otherwise, so that spend limits count them rather than treat them as free.
  'claude-sonnet-5-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
};

/**
 * Reduces an Anthropic or Bedrock model id to its family: `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
 * and `claude-sonnet-4-5-20250929` both become `claude-sonnet-4-5`; `claude-opus-4-0` becomes `claude-opus-4`.
 */
export function modelFamily(model: string): string {
  return model
    .replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/-latest$/, '')
    .replace(/-0$/, '');
}

/** Estimated cost in USD of one response's usage; `undefined` for a model without a known price. */
export function estimateCost(
  model: string,
  usage: TokenUsage,
  prices: Readonly<Record<string, ModelPrice>> = estimatedModelPrices,
): number | undefined {
  const price = prices[model] ?? prices[modelFamily(model)];
  if (price === undefined) return undefined;
  const dollars =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    (usage.cacheWriteTokens ?? 0) * price.cacheWrite +
    (usage.cacheReadTokens ?? 0) * price.cacheRead;
  return dollars / 1_000_000;
}
