import type { ConnectionPusher } from '../ports/connection-pusher';
import { coalesceFrames } from './frame-coalescing';
import { createPushDelivery, type PushDeliveryOptions } from './push-delivery';

/** One message for one connection. */
export interface FanOutDelivery {
  connectionId: string;
  message: unknown;
}

export interface FanOutOptions {
  /** Most connections with a push in flight at once (each connection's frames go one at a time). */
  concurrency: number;
  /** Retry policy of each frame (`push-delivery.ts`, the one policy every realtime sender uses). */
  delivery?: PushDeliveryOptions;
}

export interface FanOutResult {
  /** Connections that answered gone: the caller removes them from the registry. */
  gone: string[];
  /**
   * Connections whose push kept failing (throttled, a network error) and were closed by the push
   * policy, so their clients reconnect and resynchronize: the caller removes them too.
   */
  closed: string[];
  /** Frames actually sent (after coalescing). */
  frames: number;
  /** Deliveries carried by frames that were sent. */
  delivered: number;
}

/**
 * Pushes a batch of deliveries (e.g. one relay invocation's changes times their subscribers)
 * with at most `concurrency` connections in flight. Each connection's messages are coalesced
 * first, so a burst to one subscriber costs one `PostToConnection`, and sent in order (every
 * frame within the 32 KB frame limit, see `frame-coalescing.ts`) with the one push policy
 * (retries, then close). A connection that is gone or closed is not tried again in this batch.
 */
export async function fanOut(
  pusher: ConnectionPusher,
  deliveries: readonly FanOutDelivery[],
  options: FanOutOptions,
): Promise<FanOutResult> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const perConnection = new Map<string, { data: unknown; source: null }[]>();
  for (const { connectionId, message } of deliveries) {
    const queue = perConnection.get(connectionId);
    if (queue) queue.push({ data: message, source: null });
    else perConnection.set(connectionId, [{ data: message, source: null }]);
  }
  const deliver = createPushDelivery(pusher, options.delivery);
  const result: FanOutResult = { gone: [], closed: [], frames: 0, delivered: 0 };
  const connections = [...perConnection];
  let next = 0;

  async function pushOne(connectionId: string, entries: { data: unknown; source: null }[]): Promise<void> {
    for (const frame of coalesceFrames(entries)) {
      const outcome = await deliver(connectionId, frame.data);
      if (outcome !== 'sent') {
        result[outcome].push(connectionId);
        return;
      }
      result.frames += 1;
      result.delivered += frame.sources.length;
    }
  }

  async function worker(): Promise<void> {
    for (let index = next++; index < connections.length; index = next++) {
      const [connectionId, entries] = connections[index] ?? [];
      if (connectionId !== undefined && entries !== undefined) await pushOne(connectionId, entries);
    }
  }

  await Promise.all(Array.from({ length: Math.min(options.concurrency, connections.length) }, () => worker()));
  return result;
}
