import { modelVariables, type BuilderInfo, type ModelGatewayRequest, type ModelStreamEvent } from '@hangar/protocol';
import { estimateCost } from '@hangar/worker-container/model/estimate-cost';
import { createModelProvider, selectModel, type ModelSelection } from '@hangar/worker-container/model/model-catalog';
import { ModelError } from '@hangar/worker-container/model/model-error';
import type { ModelProvider } from '@hangar/worker-container/model/model-provider';
import type { ModelCatalog } from '../domain/model-gateway';

type Environment = Record<string, string | undefined>;

/** The default monthly model budget of a workspace, in US dollars, when none is configured. */
export const defaultMonthlySpendLimitUsd = 100;

const offlineNote =
  'Apps are built by the offline generator: describe a tracker or list with its fields ("a tracker for customer leads with name, email, company, status and next call date"), then ask to "add a field priority" or "rename the app to …". Set ANTHROPIC_API_KEY for the full agent.';

/** The control plane's model configuration: what the console shows and what the gateway calls, from one selection. */
export interface ModelConfiguration {
  info: BuilderInfo;
  catalog: ModelCatalog;
  monthlySpendLimitUsd: number | null;
}

/**
 * Reads the model configuration once from the control plane's environment (the variables in
 * `modelVariables`; workers never see them). `HANGAR_MONTHLY_SPEND_LIMIT_USD` is a number of
 * dollars, or `none` for no limit.
 */
export function modelConfigurationFromEnvironment(env: Environment): ModelConfiguration {
  const selection = selectModel(env);
  const provider = selection.kind === 'unknown' ? (env[modelVariables.provider] ?? 'unknown') : selection.kind;
  const info: BuilderInfo = selection.offline
    ? { provider, model: selection.model, offline: true, note: offlineNote }
    : { provider, model: selection.model, offline: false, note: selection.problem ?? '' };
  return {
    info,
    catalog: createCatalog(selection, provider, env),
    monthlySpendLimitUsd: spendLimit(env[modelVariables.monthlySpendLimitUsd]),
  };
}

function spendLimit(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return defaultMonthlySpendLimitUsd;
  if (value.trim().toLowerCase() === 'none') return null;
  const dollars = Number(value);
  if (!Number.isFinite(dollars) || dollars < 0)
    throw new Error(`${modelVariables.monthlySpendLimitUsd} must be a number of US dollars or "none" (got "${value}").`);
  return dollars;
}

function createCatalog(selection: ModelSelection, provider: string, env: Environment): ModelCatalog {
  return {
    choice: { provider, model: selection.model, offline: selection.offline },
    price: (usage) => estimateCost(selection.model, usage) ?? null,
    stream: (run, request, signal) => streamCall(() => createModelProvider(selection, env, run), selection.model, request, signal),
  };
}

/** One call through a real provider adapter; every failure becomes the stream's final `error` event. */
async function* streamCall(
  create: () => ModelProvider,
  model: string,
  request: ModelGatewayRequest,
  signal: AbortSignal,
): AsyncGenerator<ModelStreamEvent> {
  try {
    const provider = create();
    yield* provider.stream({ ...request, model, signal });
  } catch (error) {
    yield asModelError(error, signal).toStreamEvent();
  }
}

function asModelError(error: unknown, signal: AbortSignal): ModelError {
  if (error instanceof ModelError) return error;
  if (signal.aborted) return new ModelError('aborted', 'The model call was aborted.');
  const detail = error instanceof Error ? error.message : String(error);
  return new ModelError('unknown', `The model provider failed: ${detail}`, { retryable: false });
}
