import { describe, expect, it } from 'vitest';
import { defaultMonthlySpendLimitUsd, modelConfigurationFromEnvironment } from './model-configuration';

const builderInfoFromEnvironment = (env: Record<string, string | undefined>) => modelConfigurationFromEnvironment(env).info;

describe('model configuration', () => {
  const environments: Record<string, string>[] = [
    {},
    { ANTHROPIC_API_KEY: 'k' },
    { ANTHROPIC_API_KEY: 'k', HANGAR_MODEL: 'claude-opus-4-8' },
    { HANGAR_MODEL_PROVIDER: 'openai', HANGAR_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' },
    { HANGAR_MODEL_PROVIDER: 'bedrock', HANGAR_MODEL: 'eu.anthropic.claude-sonnet-x' },
  ];

  it('shows the console the provider and model that the gateway calls', () => {
    for (const env of environments) {
      const configuration = modelConfigurationFromEnvironment(env);
      const info = builderInfoFromEnvironment(env);
      expect(info).toEqual(configuration.info);
      expect({ provider: info.provider, model: info.model, offline: info.offline }).toEqual(configuration.catalog.choice);
    }
    expect(builderInfoFromEnvironment({ ANTHROPIC_API_KEY: 'k' }).model).toBe('claude-sonnet-5-5');
  });

  it('tells the console what is missing instead of pretending a model is set up', () => {
    expect(builderInfoFromEnvironment({ HANGAR_MODEL_PROVIDER: 'anthropic' })).toMatchObject({
      provider: 'anthropic',
      offline: false,
      note: 'HANGAR_MODEL_PROVIDER=anthropic needs ANTHROPIC_API_KEY on the control plane.',
    });
  });

  it('reads the monthly spend limit: a default, a number, or none; anything else is a startup error', () => {
    expect(modelConfigurationFromEnvironment({}).monthlySpendLimitUsd).toBe(defaultMonthlySpendLimitUsd);
    expect(modelConfigurationFromEnvironment({ HANGAR_MONTHLY_SPEND_LIMIT_USD: '12.5' }).monthlySpendLimitUsd).toBe(12.5);
    expect(modelConfigurationFromEnvironment({ HANGAR_MONTHLY_SPEND_LIMIT_USD: 'none' }).monthlySpendLimitUsd).toBeNull();
    expect(() => modelConfigurationFromEnvironment({ HANGAR_MONTHLY_SPEND_LIMIT_USD: 'lots' })).toThrow(/must be a number of US dollars/);
  });
});
