import { internalLimits, type PlanCard, type RunEventBody } from '@hangar/protocol';
import type { RunSink } from '../agent/run-sink';
import { ControlPlaneError, waitForRunEvent, type ControlPlaneClient } from './control-plane-client';
import { fitRunEvent, jsonBytes, textPieceChars } from './fit-run-event';

/** Run events could not be delivered: the run ends with this reason, not as a model failure. */
export class EventDeliveryError extends Error {
  override readonly name = 'EventDeliveryError';
}

export interface HttpRunSinkOptions {
  flushMs?: number;
  /** Called once when events can no longer be delivered; the worker then ends the run with that reason. */
  onFailure?: (failure: EventDeliveryError) => void;
  log?: (message: string) => void;
  /** Undelivered bytes above which `event()` waits for delivery (backpressure on the agent loop). */
  maxPendingBytes?: number;
  /** Largest batch body the sink builds; the control plane's cap is `internalLimits.maxEventBatchBytes`. */
  maxBatchBytes?: number;
}

interface PendingEvent {
  body: RunEventBody;
  bytes: number;
}

const isText = (body: RunEventBody): body is Extract<RunEventBody, { type: 'text.delta' | 'reasoning.delta' }> =>
  body.type === 'text.delta' || body.type === 'reasoning.delta';

/**
 * Sends run events to the control plane in small batches (adjacent text deltas merged), so a
 * fast stream is a few requests a second rather than one per token. One batch is in flight at
 * a time and events keep their order. Each event gets a sequence number; a batch is resent with
 * the same numbers until it is stored (the client retries transient failures with backoff), so
 * the control plane stores each event once even when an answer is lost. A batch refused as too
 * large (413) is split; an event too large on its own is shortened with a marker. If delivery
 * fails for good, the sink reports an `EventDeliveryError` once (`onFailure`) and drops what
 * follows; `event()` itself never rejects, so a delivery problem is never mistaken for the
 * model's.
 */
export class HttpRunSink implements RunSink {
  private pending: PendingEvent[] = [];
  private pendingBytes = 0;
  private nextSequence = 0;
  private sending: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private deliveryFailure: EventDeliveryError | null = null;
  private readonly log: (message: string) => void;

  constructor(
    private readonly client: ControlPlaneClient,
    private readonly options: HttpRunSinkOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** Set once events could not be delivered. */
  get failure(): EventDeliveryError | null {
    return this.deliveryFailure;
  }

  event(body: RunEventBody): Promise<void> {
    if (this.deliveryFailure) return Promise.resolve();
    const pieces = fitRunEvent(body);
    if (pieces.length === 0) this.log(`dropped a ${body.type} event that does not fit the run event schema`);
    for (const piece of pieces) this.enqueue(piece);
    if (this.pending.length >= 50) void this.kick();
    else this.timer ??= setTimeout(() => void this.kick(), this.options.flushMs ?? 60);
    if (this.pendingBytes > (this.options.maxPendingBytes ?? 16 * 1024 * 1024)) return this.flush().catch(() => undefined);
    return Promise.resolve();
  }

  /** Sends everything queued; resolves once the control plane has stored it, rejects with the delivery failure. */
  async flush(): Promise<void> {
    while (!this.deliveryFailure && (this.pending.length > 0 || this.sending)) await this.kick();
    if (this.deliveryFailure) throw this.deliveryFailure;
  }

  private enqueue(body: RunEventBody): void {
    const last = this.pending.at(-1);
    if (
      last &&
      isText(body) &&
      isText(last.body) &&
      last.body.type === body.type &&
      last.body.text.length + body.text.length <= textPieceChars
    ) {
      last.body = { type: body.type, text: last.body.text + body.text };
      const bytes = jsonBytes(last.body);
      this.pendingBytes += bytes - last.bytes;
      last.bytes = bytes;
      return;
    }
    const bytes = jsonBytes(body);
    this.pending.push({ body, bytes });
    this.pendingBytes += bytes;
  }

  private kick(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.deliveryFailure) {
      const { events, first } = this.cutBatch();
      try {
        await this.deliver(events, first);
      } catch (error) {
        this.fail(error);
      }
    }
    if (this.deliveryFailure) {
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  /** The next batch from the head of the queue, numbered from the next sequence number. */
  private cutBatch(): { events: RunEventBody[]; first: number } {
    const maxBytes = this.options.maxBatchBytes ?? internalLimits.maxEventBatchBytes - 4096;
    let count = 0;
    let bytes = 0;
    for (const next of this.pending) {
      if (count === internalLimits.maxEventsPerBatch || (count > 0 && bytes + next.bytes + 1 > maxBytes)) break;
      bytes += next.bytes + 1;
      count++;
    }
    const taken = this.pending.splice(0, count);
    this.pendingBytes -= bytes - count;
    const first = this.nextSequence;
    this.nextSequence += count;
    return { events: taken.map((item) => item.body), first };
  }

  private async deliver(events: RunEventBody[], first: number): Promise<void> {
    try {
      await this.client.appendEvents(events, first);
    } catch (error) {
      if (!(error instanceof ControlPlaneError) || error.status !== 413) throw error;
      if (events.length > 1) {
        const half = Math.ceil(events.length / 2);
        await this.deliver(events.slice(0, half), first);
        await this.deliver(events.slice(half), first + half);
        return;
      }
      // One event the control plane still finds too large: shrink it harder, under the same number.
      const only = events[0] as RunEventBody;
      const size = jsonBytes(only);
      const smaller = fitRunEvent(only, Math.floor(size / 4));
      const [shrunk] = smaller;
      if (smaller.length !== 1 || !shrunk || jsonBytes(shrunk) >= size || size < 2048) throw error;
      this.log(`the control plane refused a ${only.type} event of ${size} bytes; sending it shortened`);
      await this.deliver([shrunk], first);
    }
  }

  private fail(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.deliveryFailure = new EventDeliveryError(`Run events could not be delivered to the control plane. ${reason}`);
    this.log(this.deliveryFailure.message);
    this.options.onFailure?.(this.deliveryFailure);
  }

  async proposePlan(plan: PlanCard, signal: AbortSignal): Promise<{ decision: 'accepted' | 'amended'; note?: string }> {
    await this.flush();
    const before = (await this.client.readEvents()).at(-1)?.id;
    await this.client.proposePlan(plan);
    return waitForRunEvent(
      this.client,
      before,
      (event) => (event.type === 'plan.decided' ? { decision: event.decision, ...(event.note ? { note: event.note } : {}) } : undefined),
      signal,
      'waiting for the plan decision',
    );
  }

  async renameApp(name: string): Promise<void> {
    await this.client.renameApp(name);
  }
}
