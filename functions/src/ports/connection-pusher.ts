/**
 * The connection pusher port: sends messages to connected WebSocket clients by connection id.
 * Adapters: `apigateway-connection-pusher.ts` (the `@connections` management API of API Gateway,
 * or of the local WebSocket gateway, which serves the same API).
 *
 * Failure semantics: only a 410 (GoneException) means the connection no longer exists, answered
 * as `'gone'`. Any other failure rejects with `PushFailedError`, whose `retryable` tells callers
 * whether trying again can help; `realtime/push-delivery.ts` retries and then closes the
 * connection so the client reconnects and resynchronizes, never silently missing a message.
 */
export interface ConnectionPusher {
  /**
   * Sends `data` as one JSON text frame. A data change message is held to the frame limit
   * (`realtime/frame-coalescing.ts`): a batch too large for one frame goes out as several, in
   * order, and a change too large on its own as a `data.reload` notice. `'gone'` when the
   * connection no longer exists.
   */
  post(connectionId: string, data: unknown): Promise<'sent' | 'gone'>;
  /**
   * Sends the SAME `data` to each connection: what `post` to each would do (the same frames, the
   * same order per connection), answered per connection in the order given, a failure as
   * `{ failed }` (what `post` would have rejected with) instead of a rejection. Optional: the
   * in-process adapter serializes once and writes to every socket in one loop; callers without
   * it post one by one.
   */
  postToEach?(connectionIds: readonly string[], data: unknown): Promise<PostOutcome[]>;
  /** Closes the connection; a connection that is already gone is not an error. */
  disconnect(connectionId: string): Promise<void>;
}

/** What one connection's part of `postToEach` came to. */
export type PostOutcome = 'sent' | 'gone' | { failed: unknown };

/** `postToEach` as one `post` per connection, all in flight together, a failure answered as `{ failed }`. */
export function postToEachByPost(
  pusher: Pick<ConnectionPusher, 'post'>,
  connectionIds: readonly string[],
  data: unknown,
): Promise<PostOutcome[]> {
  return Promise.all(
    connectionIds.map((connectionId) =>
      pusher.post(connectionId, data).then(
        (outcome): PostOutcome => outcome,
        (failed: unknown): PostOutcome => ({ failed }),
      ),
    ),
  );
}

/** A push that failed for a reason other than the connection being gone. */
export class PushFailedError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PushFailedError';
  }
}
