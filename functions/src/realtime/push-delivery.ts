import type { ConnectionPusher } from '../ports/connection-pusher';
import { PushFailedError } from '../ports/connection-pusher';

/** What became of one message: delivered, the connection was gone (410), or it was closed after failures. */
export type DeliveryOutcome = 'sent' | 'gone' | 'closed';

/**
 * One connection-level send with the product's retry policy; shared by every realtime sender.
 * `after.failure`: the first attempt was already made elsewhere (a `postToEach`) and failed so;
 * the policy goes on from the second attempt.
 */
export type Deliver = (connectionId: string, message: unknown, after?: { failure: unknown }) => Promise<DeliveryOutcome>;

export interface PushDeliveryOptions {
  /** Attempts per message, the first included (default 3). */
  attempts?: number;
  /** Wait before attempt `n` (n ≥ 2); default 50 ms, then 200 ms, 800 ms … */
  delayMs?: (attempt: number) => number;
  sleep?: (milliseconds: number) => Promise<void>;
  log?: (message: string) => void;
}

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Wraps a pusher with the one push policy: a 410 is `'gone'`; a retryable failure is tried again
 * with backoff; when attempts run out (or the failure is not retryable) the connection is closed,
 * so the client reconnects and resynchronizes instead of silently missing a message.
 */
export function createPushDelivery(pusher: ConnectionPusher, options: PushDeliveryOptions = {}): Deliver {
  const attempts = options.attempts ?? 3;
  const delayMs = options.delayMs ?? ((attempt: number) => 50 * 4 ** (attempt - 2));
  const sleep = options.sleep ?? defaultSleep;
  const log = options.log ?? (() => undefined);
  return async (connectionId, message, after) => {
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1 && after) throw after.failure;
        return await pusher.post(connectionId, message);
      } catch (error) {
        const retryable = error instanceof PushFailedError ? error.retryable : true;
        if (retryable && attempt < attempts) {
          await sleep(delayMs(attempt + 1));
          continue;
        }
        log(`push to ${connectionId} failed ${attempt} time(s), closing it: ${error instanceof Error ? error.message : String(error)}`);
        await pusher.disconnect(connectionId).catch((closeError: unknown) => log(`closing ${connectionId} failed: ${String(closeError)}`));
        return 'closed';
      }
    }
  };
}
