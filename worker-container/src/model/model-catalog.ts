import { modelVariables as variables } from '@hangar/protocol';
import { OfflineAgentProvider } from '../agents/offline-agent-provider';
import { OfflineProvider, offlineModel } from '../offline/offline-provider';
import { scriptedProviderFromFile } from '../worker/scripted-turns';
import { AnthropicProvider } from './anthropic-provider';
import { BedrockProvider } from './bedrock-provider';
import { ModelError } from './model-error';
import type { ModelProvider } from './model-provider';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';

/**
 * The default Claude model: the current Sonnet, which the bundled @anthropic-ai/sdk does not list
 * in its deprecated models (`internal/data/deprecated-models.js` lists claude-sonnet-4-5, past
 * its end of life on 2026-11-30). `model-catalog.test.ts` checks it against that list.
 */
export const defaultAnthropicModel = 'claude-sonnet-5-5';
export const defaultOpenAiCompatibleModel = 'qwen2.5-coder';

export type ModelProviderKind = 'anthropic' | 'bedrock' | 'openai' | 'offline' | 'scripted';
const kinds: readonly ModelProviderKind[] = ['anthropic', 'bedrock', 'openai', 'offline', 'scripted'];

type Environment = Record<string, string | undefined>;

/** Which provider and model the control plane's configuration names, and why it cannot be used, if it cannot. */
export interface ModelSelection {
  kind: ModelProviderKind | 'unknown';
  model: string;
  offline: boolean;
  /** A sentence saying what is missing; the gateway refuses calls while it is set. */
  problem: string | null;
}

/**
 * Reads the model configuration: an explicit `HANGAR_MODEL_PROVIDER` (anthropic, bedrock, openai,
 * offline, scripted), else Anthropic when `ANTHROPIC_API_KEY` is set, else the offline generator.
 * The one definition of "which model": the console's builder info and the gateway both call it.
 */
export function selectModel(env: Environment): ModelSelection {
  const explicit = env[variables.provider]?.trim();
  const kind = explicit || (env[variables.anthropicKey] ? 'anthropic' : 'offline');
  const model = env[variables.model]?.trim() || undefined;
  switch (kind) {
    case 'anthropic':
      return {
        kind,
        model: model ?? defaultAnthropicModel,
        offline: false,
        problem: env[variables.anthropicKey]
          ? null
          : `${variables.provider}=anthropic needs ${variables.anthropicKey} on the control plane.`,
      };
    case 'bedrock':
      // Bedrock model ids are inference profiles that depend on the region and account access.
      return {
        kind,
        model: model ?? '',
        offline: false,
        problem: model ? null : `${variables.provider}=bedrock needs ${variables.model} (a Bedrock model id or inference profile).`,
      };
    case 'openai':
      return {
        kind,
        model: model ?? defaultOpenAiCompatibleModel,
        offline: false,
        problem: env[variables.openAiBaseUrl]
          ? null
          : `${variables.provider}=openai needs ${variables.openAiBaseUrl} (for example http://127.0.0.1:11434/v1 for Ollama).`,
      };
    case 'offline':
      return { kind, model: offlineModel, offline: true, problem: null };
    case 'scripted':
      return {
        kind,
        model: 'scripted',
        offline: false,
        problem: env[variables.scriptedTurns] ? null : `${variables.provider}=scripted needs ${variables.scriptedTurns} (tests only).`,
      };
    default:
      return {
        kind: 'unknown',
        model: model ?? '',
        offline: false,
        problem: `Unknown ${variables.provider} '${kind}': use ${kinds.join(', ')}.`,
      };
  }
}

/**
 * Builds the provider for one run's calls, on the control plane (it holds the keys). SDK retries
 * are off: the agent loop retries, so that every wait shows in the run stream.
 */
export function createModelProvider(
  selection: ModelSelection,
  env: Environment,
  run: { prompt: string; kind?: 'build' | 'agent' },
): ModelProvider {
  if (selection.problem !== null) throw new ModelError('not_configured', selection.problem);
  switch (selection.kind) {
    case 'anthropic': {
      const baseURL = env[variables.anthropicBaseUrl];
      return new AnthropicProvider({ apiKey: env[variables.anthropicKey] ?? '', maxRetries: 0, ...(baseURL ? { baseURL } : {}) });
    }
    case 'bedrock': {
      const region = env[variables.awsRegion];
      return new BedrockProvider({ maxRetries: 0, ...(region ? { region } : {}) });
    }
    case 'openai': {
      const apiKey = env[variables.openAiKey];
      return new OpenAiCompatibleProvider({ baseURL: env[variables.openAiBaseUrl] ?? '', ...(apiKey ? { apiKey } : {}) });
    }
    case 'offline':
      // App agents with no key: the deterministic agent (calls the declared tools, writes the results).
      return run.kind === 'agent' ? new OfflineAgentProvider() : new OfflineProvider();
    case 'scripted':
      return scriptedProviderFromFile(env[variables.scriptedTurns] ?? '', run.prompt);
    case 'unknown':
      throw new ModelError('not_configured', `Unknown model provider.`);
  }
}
