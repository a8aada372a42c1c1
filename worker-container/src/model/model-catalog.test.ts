import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider';
import { createModelProvider, defaultAnthropicModel, selectModel } from './model-catalog';
import { ModelError } from './model-error';
import { OfflineProvider } from '../offline/offline-provider';

const require = createRequire(import.meta.url);

/** The bundled SDK's own list of deprecated models (it warns when one is used). */
function sdkDeprecatedModels(): Record<string, string> {
  const sdkDir = dirname(require.resolve('@anthropic-ai/sdk'));
  const data = require(join(sdkDir, 'internal', 'data', 'deprecated-models.js')) as { DEPRECATED_MODELS: Record<string, string> };
  return data.DEPRECATED_MODELS;
}

describe('model catalog', () => {
  it('defaults to a Claude model the bundled SDK does not flag as deprecated', () => {
    const deprecated = sdkDeprecatedModels();
    expect(Object.keys(deprecated)).toContain('claude-sonnet-4-5');
    expect(deprecated).not.toHaveProperty(defaultAnthropicModel);
    expect(selectModel({ ANTHROPIC_API_KEY: 'k' })).toEqual({ kind: 'anthropic', model: defaultAnthropicModel, offline: false, problem: null });
  });

  it('picks offline with no key, honours an explicit provider and model, and says what is missing', () => {
    expect(selectModel({})).toMatchObject({ kind: 'offline', offline: true, problem: null });
    expect(selectModel({ HANGAR_MODEL_PROVIDER: 'openai', HANGAR_OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', HANGAR_MODEL: 'llama' })).toMatchObject({
      kind: 'openai',
      model: 'llama',
      problem: null,
    });
    expect(selectModel({ HANGAR_MODEL_PROVIDER: 'bedrock' }).problem).toBe(
      'HANGAR_MODEL_PROVIDER=bedrock needs HANGAR_MODEL (a Bedrock model id or inference profile).',
    );
    expect(selectModel({ HANGAR_MODEL_PROVIDER: 'gpt' }).problem).toBe("Unknown HANGAR_MODEL_PROVIDER 'gpt': use anthropic, bedrock, openai, offline, scripted.");
  });

  it('builds the adapter for a usable selection and refuses an unusable one with a typed error', () => {
    expect(createModelProvider(selectModel({ ANTHROPIC_API_KEY: 'k' }), { ANTHROPIC_API_KEY: 'k' }, { prompt: 'x' })).toBeInstanceOf(AnthropicProvider);
    expect(createModelProvider(selectModel({}), {}, { prompt: 'x' })).toBeInstanceOf(OfflineProvider);
    const unusable = selectModel({ HANGAR_MODEL_PROVIDER: 'anthropic' });
    expect(() => createModelProvider(unusable, {}, { prompt: 'x' })).toThrow(ModelError);
  });
});
