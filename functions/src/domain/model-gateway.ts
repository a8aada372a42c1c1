import { terminalRunStatuses, type ModelChoice, type ModelGatewayRequest, type ModelStreamEvent } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import { ConflictError, HangarError, NotFoundError } from './errors';
import { builderCollections, type RunRecord } from './records';

/** Token counts of one call or a sum of calls (Anthropic's convention: input excludes cache reads and writes). */
export interface ModelTokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
}

/**
 * The port to the configured model provider. The composition root builds it from the control
 * plane's configuration (`entrypoints/model-configuration.ts`); the domain sees only this.
 */
export interface ModelCatalog {
  /** The provider and model every run uses: also what the console shows. */
  readonly choice: ModelChoice;
  /** Streams one call of a run. A failure is an `error` event at the end, never a throw. */
  stream(
    run: { runId: string; prompt: string; kind: 'build' | 'agent' },
    request: ModelGatewayRequest,
    signal: AbortSignal,
  ): AsyncIterable<ModelStreamEvent>;
  /** Estimated cost in US dollars, or `null` when the model has no known price. */
  price(usage: ModelTokenUsage): number | null;
}

/** Usage totals kept per run (`run:<id>`) and per workspace and month (`workspace:<id>:<YYYY-MM>`). */
export interface ModelUsageRecord extends StoredDocument {
  scope: 'run' | 'workspace_month';
  workspaceId: string;
  runId: string | null;
  month: string | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Calls whose model had no known price, so `costUsd` undercounts them. */
  unpricedCalls: number;
}

/** One model call, for audit and for reconciling totals. */
export interface ModelCallRecord extends StoredDocument {
  runId: string;
  workspaceId: string;
  appId: string;
  provider: string;
  model: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'completed' | 'failed' | 'aborted';
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
}

export const modelGatewayCollections = { usage: 'model_usage', calls: 'model_calls' } as const;

/** A workspace reached its monthly model budget: calls are refused until next month or a higher limit. */
export class SpendLimitReachedError extends HangarError {
  constructor(spentUsd: number, limitUsd: number, month: string) {
    super(
      402,
      'spend_limit_reached',
      `This workspace has used ${dollars(spentUsd)} of its ${dollars(limitUsd)} model budget for ${month}, so no more model calls are made this month. An administrator can raise the limit.`,
      { retryable: false, details: { spentUsd, limitUsd, month } },
    );
  }
}

export interface ModelGatewayOptions {
  /** Per-workspace spend limit per calendar month (UTC), in US dollars; `null` means none. */
  monthlySpendLimitUsd: number | null;
}

/**
 * The model gateway: the only place model calls are made. It checks that the run may call,
 * enforces the workspace's monthly spend limit before each call, streams the catalog's events
 * through, and records every call's usage per run and per workspace and month. A call that is
 * already streaming when the limit is crossed finishes; the next one is refused.
 */
export class ModelGatewayService {
  constructor(
    private readonly store: DocumentStore,
    private readonly catalog: ModelCatalog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly options: ModelGatewayOptions,
  ) {}

  private usage() {
    return this.store.collection<ModelUsageRecord>(modelGatewayCollections.usage);
  }

  /** What the run's model is; the worker reports it when it starts. */
  async choiceFor(runId: string): Promise<ModelChoice> {
    await this.activeRun(runId);
    return this.catalog.choice;
  }

  /**
   * Starts one call: refuses it (typed errors, before any byte is streamed) when the run is
   * finished or the workspace is over its limit, else answers the event stream.
   */
  async open(runId: string, request: ModelGatewayRequest, signal: AbortSignal): Promise<AsyncIterable<ModelStreamEvent>> {
    const run = await this.activeRun(runId);
    const month = this.clock.now().toISOString().slice(0, 7);
    const limit = this.options.monthlySpendLimitUsd;
    if (limit !== null && !this.catalog.choice.offline) {
      const spent = (await this.usage().findOne({ _id: workspaceMonthKey(run.workspaceId, month) }))?.costUsd ?? 0;
      if (spent >= limit) throw new SpendLimitReachedError(spent, limit, month);
    }
    return this.#relay(run, month, request, signal);
  }

  /** Usage totals of one run. */
  async runUsage(runId: string): Promise<ModelUsageRecord | null> {
    return this.usage().findOne({ _id: `run:${runId}` });
  }

  /** Usage totals of a workspace in a month (`YYYY-MM`, UTC). */
  async workspaceUsage(workspaceId: string, month: string): Promise<ModelUsageRecord | null> {
    return this.usage().findOne({ _id: workspaceMonthKey(workspaceId, month) });
  }

  async *#relay(run: RunRecord, month: string, request: ModelGatewayRequest, signal: AbortSignal): AsyncGenerator<ModelStreamEvent> {
    const startedAt = this.clock.now().toISOString();
    let usage: ModelTokenUsage = { inputTokens: 0, outputTokens: 0 };
    let outcome: ModelCallRecord['outcome'] = 'aborted';
    try {
      for await (const event of this.catalog.stream({ runId: run._id, prompt: run.prompt, kind: run.kind ?? 'build' }, request, signal)) {
        // A later usage event supersedes an earlier one: it carries the response's totals.
        if (event.type === 'usage') usage = event;
        if (event.type === 'message.stop') outcome = 'completed';
        if (event.type === 'error') outcome = event.kind === 'aborted' ? 'aborted' : 'failed';
        yield event;
      }
    } finally {
      // Tokens of a failed or abandoned call are billed too, so they count.
      await this.#record(run, month, startedAt, outcome, usage);
    }
  }

  async #record(
    run: RunRecord,
    month: string,
    startedAt: string,
    outcome: ModelCallRecord['outcome'],
    usage: ModelTokenUsage,
  ): Promise<void> {
    const cost = this.catalog.price(usage);
    const { provider, model } = this.catalog.choice;
    await this.store.collection<ModelCallRecord>(modelGatewayCollections.calls).insertOne({
      _id: this.ids('mcl'),
      runId: run._id,
      workspaceId: run.workspaceId,
      appId: run.appId,
      provider,
      model,
      startedAt,
      finishedAt: this.clock.now().toISOString(),
      outcome,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
      costUsd: cost,
    });
    const increments = {
      calls: 1,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens ?? 0,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
      costUsd: cost ?? 0,
      unpricedCalls: cost === null ? 1 : 0,
    };
    await this.#add({ _id: `run:${run._id}`, scope: 'run', workspaceId: run.workspaceId, runId: run._id, month: null }, increments);
    await this.#add(
      { _id: workspaceMonthKey(run.workspaceId, month), scope: 'workspace_month', workspaceId: run.workspaceId, runId: null, month },
      increments,
    );
  }

  /** Adds to a totals document, creating it on first use (the store has no upsert). */
  async #add(identity: Pick<ModelUsageRecord, '_id' | 'scope' | 'workspaceId' | 'runId' | 'month'>, increments: Record<string, number>) {
    const collection = this.usage();
    if (await collection.updateOne({ _id: identity._id }, { $inc: increments })) return;
    try {
      await collection.insertOne({
        ...identity,
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        unpricedCalls: 0,
        ...increments,
      });
    } catch (error) {
      // Another call created it first: add to theirs.
      if (!(error instanceof DuplicateKeyError)) throw error;
      await collection.updateOne({ _id: identity._id }, { $inc: increments });
    }
  }

  private async activeRun(runId: string): Promise<RunRecord> {
    const run = await this.store.collection<RunRecord>(builderCollections.runs).findOne({ _id: runId });
    if (!run) throw new NotFoundError('Run not found.');
    if (terminalRunStatuses.includes(run.status)) throw new ConflictError(`The run is ${run.status}: it makes no more model calls.`);
    return run;
  }
}

/** `$12.34`, or two significant digits for amounts under a cent. */
function dollars(amount: number): string {
  return amount >= 0.01 || amount === 0 ? `$${amount.toFixed(2)}` : `$${amount.toPrecision(2)}`;
}

function workspaceMonthKey(workspaceId: string, month: string): string {
  return `workspace:${workspaceId}:${month}`;
}
