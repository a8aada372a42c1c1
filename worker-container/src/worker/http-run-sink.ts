import type { PlanCard, RunEventBody } from '@hangar/protocol';
import type { RunSink } from '../agent/run-sink';
import type { ControlPlaneClient } from './control-plane-client';

/**
 * Sends run events to the control plane in small batches (adjacent text deltas merged), so a
 * fast stream is a few requests a second rather than one per token.
 */
export class HttpRunSink implements RunSink {
  private queue: RunEventBody[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ControlPlaneClient,
    private readonly options: { flushMs?: number; pollMs?: number } = {},
  ) {}

  event(body: RunEventBody): Promise<void> {
    const last = this.queue.at(-1);
    if (last && last.type === body.type && (body.type === 'text.delta' || body.type === 'reasoning.delta') && 'text' in last) {
      last.text += body.text;
    } else {
      this.queue.push(body);
    }
    if (this.queue.length >= 50) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.options.flushMs ?? 60);
    return Promise.resolve();
  }

  /** Sends everything queued; resolves once the control plane has stored it. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.flushing.then(async () => {
      for (let i = 0; i < batch.length; i += 200) await this.client.appendEvents(batch.slice(i, i + 200));
    });
    return this.flushing;
  }

  async proposePlan(plan: PlanCard, signal: AbortSignal): Promise<{ decision: 'accepted' | 'amended'; note?: string }> {
    await this.flush();
    const before = (await this.client.readEvents()).at(-1)?.id;
    await this.client.proposePlan(plan);
    let after = before;
    while (!signal.aborted) {
      const events = await this.client.readEvents(after);
      for (const stored of events) {
        after = stored.id;
        if (stored.event.type === 'plan.decided')
          return { decision: stored.event.decision, ...(stored.event.note ? { note: stored.event.note } : {}) };
        if (stored.event.type === 'run.stopped' || stored.event.type === 'run.failed')
          throw new Error('The run ended while waiting for the plan decision.');
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 300));
    }
    throw new Error('The run was stopped while waiting for the plan decision.');
  }

  async renameApp(name: string): Promise<void> {
    await this.client.renameApp(name);
  }
}
