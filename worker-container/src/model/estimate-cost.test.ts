import { describe, expect, it } from 'vitest';
import { estimateCost, modelFamily } from './estimate-cost';

describe('estimateCost', () => {
  it('reduces Anthropic and Bedrock ids to a model family', () => {
    expect(modelFamily('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5');
    expect(modelFamily('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('claude-3-5-haiku');
    expect(modelFamily('global.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5');
    expect(modelFamily('claude-opus-4-0')).toBe('claude-opus-4');
    expect(modelFamily('claude-opus-4-1-20250805')).toBe('claude-opus-4-1');
  });

  it('prices input, output and cache tokens per million', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 2_000_000, cacheWriteTokens: 400_000 };
    // 3 + 1.5 + 0.6 + 1.5
    expect(estimateCost('claude-sonnet-4-5-20250929', usage)).toBeCloseTo(6.6, 10);
    expect(estimateCost('us.anthropic.claude-sonnet-4-5-20250929-v1:0', usage)).toBeCloseTo(6.6, 10);
    expect(estimateCost('claude-haiku-4-5', { inputTokens: 2000, outputTokens: 1000 })).toBeCloseTo(0.007, 10);
  });

  it('does not guess the price of an unknown model', () => {
    expect(estimateCost('qwen3-coder:30b', { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
    expect(estimateCost('claude-opus-4-6', { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
  });

  it('takes a price table for other models', () => {
    const prices = { 'qwen3-coder:30b': { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 } };
    expect(estimateCost('qwen3-coder:30b', { inputTokens: 10, outputTokens: 10 }, prices)).toBe(0);
  });
});
