import type { ServerMessage } from '@hangar/protocol';
import type { ConnectionRegistry } from '../ports/connection-registry';
import type { RunEventLog, StoredRunEvent } from '../ports/run-event-log';
import { KeyedLock } from './keyed-lock';
import type { Deliver } from './push-delivery';

/** The registry key of a run's subscribers; data keys start with an app id, so they never clash. */
export const runSubscriptionKey = (runId: string) => `run:${runId}`;
/** The run id of a run subscription key, or null for any other key. */
export const runIdOfSubscriptionKey = (key: string): string | null => (key.startsWith('run:') ? key.slice('run:'.length) : null);

const backlogPage = 1000;

export interface RunStreamsOptions {
  /** The run event log adapter itself (not the pushing one this class hands out). */
  events: RunEventLog;
  /** Who follows which run: shared by every process (Redis on AWS). */
  registry: ConnectionRegistry;
  deliver: Deliver;
  log?: (message: string) => void;
}

/**
 * Run streaming by **push on append** (decision 0010): a `run.subscribe` records the connection
 * in the connection registry and sends the backlog; every later append, by whichever process
 * makes it (the worker's internal API call, a plan decision, the sweeper), is pushed to the
 * run's registered connections before the append returns. No process keeps a long-lived reader,
 * so the local host and the Lambdas run the same code.
 *
 * Within a process, a run's appends, backlogs and revocations are serialized, so a subscriber
 * gets its backlog before any live event and events in append order; an event that lands while
 * a backlog is read may arrive twice, and clients deduplicate by event id.
 */
export class RunStreams {
  private readonly lock = new KeyedLock();
  /** The log every service writes to: appends go to the adapter, then to the run's subscribers. */
  readonly log: RunEventLog;

  constructor(private readonly options: RunStreamsOptions) {
    const inner = options.events;
    this.log = {
      kind: inner.kind,
      append: (runId, event) =>
        this.lock.run(runId, async () => {
          const stored = await inner.append(runId, event);
          // The event is durable: a failed fan-out is logged, and readers catch up from the log.
          await this.fanOut(stored).catch((error: unknown) =>
            this.options.log?.(`run ${runId}: push failed: ${error instanceof Error ? error.message : String(error)}`),
          );
          return stored;
        }),
      read: (runId, readOptions) => inner.read(runId, readOptions),
      subscribe: (runId, subscribeOptions) => inner.subscribe(runId, subscribeOptions),
      compareIds: (a, b) => inner.compareIds(a, b),
      close: () => inner.close(),
    };
  }

  /**
   * Registers the connection, answers `run.subscribed`, then sends every event after `after`.
   * Rejects with `InvalidEventIdError` (before registering) when `after` is not an id of this log.
   */
  async subscribe(connectionId: string, userId: string, runId: string, after: string | undefined, requestId?: string): Promise<void> {
    if (after) this.options.events.compareIds(after, after);
    await this.lock.run(runId, async () => {
      const key = runSubscriptionKey(runId);
      await this.options.registry.add({ connectionId, key, userId, subscribedAt: new Date().toISOString() });
      const subscribed: ServerMessage = { type: 'run.subscribed', runId, ...(requestId ? { id: requestId } : {}) };
      if (!(await this.send(connectionId, subscribed))) return;
      let cursor = after;
      for (;;) {
        const page = await this.options.events.read(runId, { ...(cursor ? { after: cursor } : {}), limit: backlogPage });
        for (const event of page) if (!(await this.send(connectionId, { type: 'run.event', runId, event }))) return;
        if (page.length < backlogPage) return;
        cursor = page.at(-1)?.id;
      }
    });
  }

  async unsubscribe(connectionId: string, runId: string): Promise<void> {
    await this.lock.run(runId, () => this.options.registry.remove(connectionId, runSubscriptionKey(runId)));
  }

  /** Ends a subscription whose permission is gone: nothing more is pushed, then the client is told. */
  async revoke(connectionId: string, runId: string, reason: string): Promise<void> {
    await this.lock.run(runId, async () => {
      await this.options.registry.remove(connectionId, runSubscriptionKey(runId));
      await this.send(connectionId, { type: 'subscription.revoked', subscription: { kind: 'run', runId }, reason });
    });
  }

  private async fanOut(event: StoredRunEvent): Promise<void> {
    const connections = await this.options.registry.connectionsFor(runSubscriptionKey(event.runId));
    await Promise.all(connections.map((connectionId) => this.send(connectionId, { type: 'run.event', runId: event.runId, event })));
  }

  /** False when the connection is gone or was closed; its subscriptions are then dropped. */
  private async send(connectionId: string, message: ServerMessage): Promise<boolean> {
    const outcome = await this.options.deliver(connectionId, message);
    if (outcome === 'sent') return true;
    await this.options.registry
      .removeConnection(connectionId)
      .catch((error: unknown) => this.options.log?.(`registry: ${error instanceof Error ? error.message : String(error)}`));
    return false;
  }
}
