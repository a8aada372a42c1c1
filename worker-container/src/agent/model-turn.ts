import type { RunEventBody } from '@hangar/protocol';
import { abortedError, ModelError } from '../model/model-error';
import type { AssistantContentBlock, ModelEvent, ModelProvider, ModelRequest, StopReason, TokenUsage } from '../model/model-provider';
import type { LoopTimers } from './loop-timers';

/** How model calls are retried. Only errors that say `retryable` are retried (STYLE 15c). */
export interface ModelRetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** The first backoff; each later one doubles, up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `retry-after` honoured; a provider asking for longer fails the call. */
  maxRetryAfterMs: number;
  /** A stream with no event for this long is abandoned and retried. */
  idleTimeoutMs: number;
}

export const defaultModelRetryPolicy: ModelRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 120_000,
  idleTimeoutMs: 60_000,
};

/** The worker's variable for the silence interval, in milliseconds (tests and slow local models). */
export const modelStreamIdleVariable = 'HANGAR_MODEL_STREAM_IDLE_MS';

/** The retry policy with the silence interval from the environment, when it is a positive number. */
export function modelRetryPolicyFromEnvironment(env: Record<string, string | undefined>): Partial<ModelRetryPolicy> {
  const idle = Number(env[modelStreamIdleVariable]);
  return Number.isFinite(idle) && idle > 0 ? { idleTimeoutMs: idle } : {};
}

/** One complete model response, as the loop keeps it. */
export interface ModelTurn {
  content: AssistantContentBlock[];
  stopReason: StopReason;
  /** The last text block's text (what the model said at the end of the turn). */
  text: string;
}

export type ModelTurnOutcome =
  | { status: 'completed'; turn: ModelTurn }
  | { status: 'failed'; reason: string }
  | { status: 'stopped' };

export interface ModelTurnOptions {
  provider: ModelProvider;
  request: Omit<ModelRequest, 'signal'>;
  signal: AbortSignal;
  policy: ModelRetryPolicy;
  timers: LoopTimers;
  /** Text and reasoning deltas, and `model.retrying`, go to the run stream. */
  emit: (event: RunEventBody) => Promise<void>;
  /** Every attempt's tokens (failed attempts are billed too). */
  addUsage: (usage: TokenUsage) => void;
}

/**
 * Streams one model turn, retrying what may pass (429, 529, 5xx, an `error` event mid-stream,
 * a dropped connection, a stream silent for `idleTimeoutMs`) with exponential backoff and
 * jitter, honouring `retry-after` up to a cap. Every wait is announced as `model.retrying`.
 */
export async function streamModelTurn(options: ModelTurnOptions): Promise<ModelTurnOutcome> {
  const { policy, signal } = options;
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return { status: 'stopped' };
    let error: ModelError;
    try {
      return { status: 'completed', turn: await attemptTurn(options) };
    } catch (thrown) {
      if (signal.aborted) return { status: 'stopped' };
      // Not a model failure (the run sink failing, say): the caller reports it as what it is.
      if (!(thrown instanceof ModelError)) throw thrown;
      error = thrown;
    }
    if (error.kind === 'aborted') return { status: 'stopped' };
    if (!error.retryable) return { status: 'failed', reason: `The model call failed: ${error.message}` };
    if (attempt >= policy.maxAttempts) {
      const over = waitedMs > 0 ? ` over ${seconds(waitedMs)}` : '';
      return {
        status: 'failed',
        reason: `${error.message} The model call failed ${attempt} times in a row${over}, so the run stopped.`,
      };
    }
    if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
      return {
        status: 'failed',
        reason: `${error.message} It asked to wait ${seconds(error.retryAfterMs)} before trying again, longer than the ${seconds(policy.maxRetryAfterMs)} a run waits, so the run stopped.`,
      };
    }
    const delayMs = Math.round(error.retryAfterMs ?? backoff(attempt, policy, options.timers.random()));
    await options.emit({ type: 'model.retrying', attempt, maxAttempts: policy.maxAttempts, delayMs, reason: error.message.slice(0, 1000) });
    try {
      await options.timers.sleep(delayMs, signal);
    } catch {
      return { status: 'stopped' };
    }
    waitedMs += delayMs;
  }
}

/** Exponential backoff with "equal jitter": half the delay is fixed, half random. */
function backoff(attempt: number, policy: ModelRetryPolicy, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return exponential / 2 + (exponential / 2) * random;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** One attempt: its own abort controller, so a silent stream can be abandoned without stopping the run. */
async function attemptTurn(options: ModelTurnOptions): Promise<ModelTurn> {
  const attempt = new AbortController();
  const stopAttempt = () => attempt.abort(options.signal.reason);
  options.signal.addEventListener('abort', stopAttempt, { once: true });
  const iterator = options.provider.stream({ ...options.request, signal: attempt.signal })[Symbol.asyncIterator]();
  const content: AssistantContentBlock[] = [];
  let text = '';
  let lastText = '';
  let usage: TokenUsage | null = null;
  let stopReason: StopReason | null = null;
  try {
    for (;;) {
      const next = await nextOrSilence(iterator, options, attempt);
      if (next.done) break;
      const event: ModelEvent = next.value;
      switch (event.type) {
        case 'text.delta':
          text += event.text;
          await options.emit({ type: 'text.delta', text: event.text });
          break;
        case 'reasoning.delta':
          await options.emit({ type: 'reasoning.delta', text: event.text });
          break;
        case 'reasoning.complete':
          content.push({
            type: 'reasoning',
            text: event.text,
            ...(event.signature ? { signature: event.signature } : {}),
            ...(event.redactedData ? { redactedData: event.redactedData } : {}),
          });
          break;
        case 'tool_call.complete':
          if (text) content.push({ type: 'text', text });
          if (text.trim()) lastText = text.trim();
          text = '';
          content.push({ type: 'tool_use', id: event.id, name: event.name, input: event.input });
          break;
        case 'usage':
          usage = event;
          break;
        case 'message.stop':
          stopReason = event.stopReason;
          break;
        case 'tool_call.start':
        case 'tool_call.input_delta':
          break;
        default: {
          const unknownEvent: never = event;
          throw new ModelError('unknown', `The model sent an event of an unknown type: ${JSON.stringify(unknownEvent).slice(0, 200)}.`);
        }
      }
    }
  } finally {
    options.signal.removeEventListener('abort', stopAttempt);
    if (usage) options.addUsage(usage);
    if (!attempt.signal.aborted) attempt.abort();
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (stopReason === null) throw new ModelError('network', 'The model response ended before it was complete.');
  if (text) content.push({ type: 'text', text });
  if (text.trim()) lastText = text.trim();
  return { content, stopReason, text: lastText };
}

/** The next event, or a retryable timeout when the stream stays silent for `idleTimeoutMs`. */
async function nextOrSilence(
  iterator: AsyncIterator<ModelEvent>,
  options: ModelTurnOptions,
  attempt: AbortController,
): Promise<IteratorResult<ModelEvent>> {
  const watchdog = new AbortController();
  const silence = options.timers.sleep(options.policy.idleTimeoutMs, watchdog.signal).then(
    () => 'silent' as const,
    () => 'cancelled' as const,
  );
  try {
    const next = iterator.next();
    // An abandoned attempt's pending read rejects later; that rejection is expected.
    next.catch(() => undefined);
    const result = await Promise.race([next, silence]);
    if (result === 'silent' || result === 'cancelled') {
      if (options.signal.aborted) throw abortedError(options.signal.reason);
      attempt.abort();
      throw new ModelError('timeout', `The model stream was silent for ${seconds(options.policy.idleTimeoutMs)}, so it was abandoned.`);
    }
    return result;
  } finally {
    watchdog.abort();
  }
}
