import { abortedError } from './model-error';
import type { ModelEvent, ModelProvider, ModelRequest, TokenUsage } from './model-provider';

/** What one `stream()` call answers: fixed events, or events computed from the request (may throw). */
export type ScriptedTurn =
  | readonly ModelEvent[]
  | ((request: ModelRequest, call: number) => readonly ModelEvent[] | Promise<readonly ModelEvent[]> | AsyncIterable<ModelEvent>);

/** Thrown (while iterating) when `stream()` is called more often than the script has turns. */
export class ScriptExhaustedError extends Error {
  override readonly name = 'ScriptExhaustedError';
}

/**
 * The test double of the model provider port, for tests in every package: answers each
 * `stream()` call with the next scripted turn, in order, and records the requests it received.
 */
export class ScriptedProvider implements ModelProvider {
  readonly name: string;
  /** Every request received, in call order (a snapshot of messages, not a live reference). */
  readonly requests: ModelRequest[] = [];
  readonly #turns: ScriptedTurn[];

  constructor(turns: readonly ScriptedTurn[], options: { name?: string } = {}) {
    this.#turns = [...turns];
    this.name = options.name ?? 'scripted';
  }

  /** Turns not yet used. */
  get remainingTurns(): number {
    return this.#turns.length - this.requests.length;
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    const call = this.requests.length;
    this.requests.push({ ...request, messages: structuredClone(request.messages) });
    return this.#play(this.#turns[call], request, call);
  }

  async *#play(turn: ScriptedTurn | undefined, request: ModelRequest, call: number): AsyncGenerator<ModelEvent> {
    if (turn === undefined) {
      throw new ScriptExhaustedError(
        `ScriptedProvider: stream() call #${call + 1} has no scripted turn (the script has ${this.#turns.length}).`,
      );
    }
    const { signal } = request;
    if (signal?.aborted) throw abortedError(signal.reason);
    const events =
      typeof turn === 'function'
        ? await untilAborted(
            Promise.resolve().then(() => turn(request, call)),
            signal,
          )
        : turn;
    const iterator = Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : asyncIteratorOf(events);
    try {
      for (;;) {
        // A turn that waits forever still ends when the request is aborted.
        const result = await untilAborted(iterator.next(), signal);
        if (result.done) return;
        yield result.value;
      }
    } finally {
      void iterator.return?.().catch(() => undefined);
    }
  }
}

function asyncIteratorOf(events: readonly ModelEvent[]): AsyncIterator<ModelEvent> {
  const iterator = events[Symbol.iterator]();
  return { next: () => Promise.resolve(iterator.next()) };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const defaultUsage: TokenUsage = { inputTokens: 10, outputTokens: 5 };

/** A scripted turn that answers text and ends the turn. */
export function textTurn(text: string, usage: TokenUsage = defaultUsage): ModelEvent[] {
  return [
    { type: 'text.delta', text },
    { type: 'usage', ...usage },
    { type: 'message.stop', stopReason: 'end_turn' },
  ];
}

/** A scripted turn that calls tools (after optional text) and stops for their results. */
export function toolCallTurn(
  calls: readonly { id: string; name: string; input: unknown }[],
  options: { text?: string; usage?: TokenUsage } = {},
): ModelEvent[] {
  const events: ModelEvent[] = options.text ? [{ type: 'text.delta', text: options.text }] : [];
  for (const call of calls) {
    events.push(
      { type: 'tool_call.start', id: call.id, name: call.name },
      { type: 'tool_call.input_delta', id: call.id, partialJson: JSON.stringify(call.input) },
      { type: 'tool_call.complete', id: call.id, name: call.name, input: call.input },
    );
  }
  events.push({ type: 'usage', ...(options.usage ?? defaultUsage) }, { type: 'message.stop', stopReason: 'tool_use' });
  return events;
}
