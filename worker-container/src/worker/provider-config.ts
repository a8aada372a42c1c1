import { AnthropicProvider } from '../model/anthropic-provider';
import { BedrockProvider } from '../model/bedrock-provider';
import type { ModelProvider } from '../model/model-provider';
import { OpenAiCompatibleProvider } from '../model/openai-compatible-provider';
import { OfflineProvider } from '../offline/offline-provider';
import { scriptedProviderFromFile } from './scripted-turns';

export const providerVariables = {
  provider: 'HANGAR_MODEL_PROVIDER',
  model: 'HANGAR_MODEL',
  anthropicKey: 'ANTHROPIC_API_KEY',
  anthropicBaseUrl: 'ANTHROPIC_BASE_URL',
  openAiBaseUrl: 'HANGAR_OPENAI_BASE_URL',
  openAiKey: 'HANGAR_OPENAI_API_KEY',
  awsRegion: 'AWS_REGION',
} as const;

export interface ProviderChoice {
  provider: ModelProvider;
  model: string;
  offline: boolean;
}

/**
 * Picks the model provider from the environment: an explicit `HANGAR_MODEL_PROVIDER`
 * (anthropic, bedrock, openai, offline), else Anthropic when `ANTHROPIC_API_KEY` is set, else
 * the offline generator, so everything works with no key and no network.
 */
export function chooseProvider(env: Record<string, string | undefined> = process.env, prompt = ''): ProviderChoice {
  const v = providerVariables;
  const explicit = env[v.provider];
  const kind = explicit ?? (env[v.anthropicKey] ? 'anthropic' : 'offline');
  switch (kind) {
    case 'anthropic': {
      const apiKey = env[v.anthropicKey];
      if (!apiKey) throw new Error(`${v.provider}=anthropic needs ${v.anthropicKey}`);
      const baseURL = env[v.anthropicBaseUrl];
      return {
        provider: new AnthropicProvider({ apiKey, ...(baseURL ? { baseURL } : {}) }),
        model: env[v.model] ?? 'claude-sonnet-4-5',
        offline: false,
      };
    }
    case 'bedrock': {
      const region = env[v.awsRegion];
      return {
        provider: new BedrockProvider({ ...(region ? { region } : {}) }),
        model: env[v.model] ?? 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        offline: false,
      };
    }
    case 'openai': {
      const baseURL = env[v.openAiBaseUrl];
      if (!baseURL) throw new Error(`${v.provider}=openai needs ${v.openAiBaseUrl} (e.g. http://127.0.0.1:11434/v1 for Ollama)`);
      const apiKey = env[v.openAiKey];
      return {
        provider: new OpenAiCompatibleProvider({ baseURL, ...(apiKey ? { apiKey } : {}) }),
        model: env[v.model] ?? 'qwen2.5-coder',
        offline: false,
      };
    }
    case 'offline': {
      const provider = new OfflineProvider();
      return { provider, model: 'offline-generator-1', offline: true };
    }
    case 'scripted': {
      const file = env.HANGAR_SCRIPTED_TURNS;
      if (!file) throw new Error(`${v.provider}=scripted needs HANGAR_SCRIPTED_TURNS (a JSON file of turns keyed by prompt; tests only)`);
      return { provider: scriptedProviderFromFile(file, prompt), model: 'scripted', offline: false };
    }
    default:
      throw new Error(`Unknown ${v.provider} '${kind}': use anthropic, bedrock, openai or offline.`);
  }
}
