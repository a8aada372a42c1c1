import type { ServerMessage } from '@hangar/protocol';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { RunEventLog, RunEventSubscription } from '../ports/run-event-log';

/**
 * Pumps run events to WebSocket connections: one run event log subscription per
 * (connection, run), authorized once when it is made. A connection that answers 410 (gone)
 * loses all its subscriptions.
 */
export class RunSubscriptionHub {
  private readonly byConnection = new Map<string, Map<string, RunEventSubscription>>();

  constructor(
    private readonly events: RunEventLog,
    private readonly pusher: ConnectionPusher,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  subscriptionCount(): number {
    let count = 0;
    for (const runs of this.byConnection.values()) count += runs.size;
    return count;
  }

  /** Starts streaming; replaces an existing subscription of the same connection to the same run. */
  async subscribe(connectionId: string, runId: string, after: string | undefined, requestId?: string): Promise<void> {
    await this.unsubscribe(connectionId, runId);
    const subscription = this.events.subscribe(runId, after ? { after } : {});
    const runs = this.byConnection.get(connectionId) ?? new Map<string, RunEventSubscription>();
    runs.set(runId, subscription);
    this.byConnection.set(connectionId, runs);
    const subscribed: ServerMessage = { type: 'run.subscribed', runId, ...(requestId ? { id: requestId } : {}) };
    if ((await this.pusher.post(connectionId, subscribed)) === 'gone') {
      await this.dropConnection(connectionId);
      return;
    }
    void this.pump(connectionId, runId, subscription);
  }

  private async pump(connectionId: string, runId: string, subscription: RunEventSubscription): Promise<void> {
    try {
      for await (const event of subscription) {
        const message: ServerMessage = { type: 'run.event', runId, event };
        if ((await this.pusher.post(connectionId, message)) === 'gone') {
          await this.dropConnection(connectionId);
          return;
        }
      }
    } catch (error) {
      this.log(`run subscription ${runId} for ${connectionId} ended: ${error instanceof Error ? error.message : String(error)}`);
      await this.pusher
        .post(connectionId, {
          type: 'session.error',
          code: 'subscription_failed',
          message: 'The run stream ended unexpectedly; subscribe again.',
        })
        .catch(() => 'gone');
    }
  }

  async unsubscribe(connectionId: string, runId: string): Promise<void> {
    const runs = this.byConnection.get(connectionId);
    const subscription = runs?.get(runId);
    if (!subscription) return;
    runs?.delete(runId);
    await subscription.close();
  }

  async dropConnection(connectionId: string): Promise<void> {
    const runs = this.byConnection.get(connectionId);
    this.byConnection.delete(connectionId);
    await Promise.all([...(runs?.values() ?? [])].map((subscription) => subscription.close()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.byConnection.keys()].map((connectionId) => this.dropConnection(connectionId)));
  }
}
