import type { ConnectionPusher, PostOutcome } from '../ports/connection-pusher';
import { coalesceFrames } from '../realtime/frame-coalescing';

/** What the pusher needs from a gateway in the same process (the local WebSocket gateway has both). */
export interface DirectConnectionSender {
  /** `frame` is the frame's text, or the same text already encoded as UTF-8 (sent as a text frame). */
  sendToConnection(connectionId: string, frame: string | Buffer): Promise<'sent' | 'gone'>;
  /** The same frame to many connections in one loop; outcomes in the order given. */
  sendToEach(connectionIds: readonly string[], frame: string | Buffer): Promise<('sent' | 'gone')[]>;
  closeConnection(connectionId: string): Promise<unknown>;
}

interface QueuedPost {
  data: unknown;
  source: { resolve: (outcome: 'sent' | 'gone') => void; reject: (error: unknown) => void };
}

interface ConnectionQueue {
  pending: QueuedPost[];
  /** Resolves when the queue has drained (what `disconnect` waits for). */
  drained: Promise<void>;
}

/**
 * The local default pusher: writes frames straight to the gateway's sockets, with no signed HTTP
 * request per delivery. Posts to one connection are queued and flushed once per microtask;
 * while a flush is being written, later posts wait, and each flush coalesces adjacent data
 * changes of one collection into one `data.changes` frame. Order per connection is kept, and
 * every post answers with the outcome of the frame that carried it.
 */
export class InProcessConnectionPusher implements ConnectionPusher {
  private readonly queues = new Map<string, ConnectionQueue>();

  constructor(private readonly gateway: DirectConnectionSender) {}

  post(connectionId: string, data: unknown): Promise<'sent' | 'gone'> {
    return new Promise((resolve, reject) => {
      const post = { data, source: { resolve, reject } };
      const queue = this.queues.get(connectionId);
      if (queue) queue.pending.push(post);
      else this.startQueue(connectionId, post);
    });
  }

  /**
   * One message to many connections, encoded once and written to every socket in one loop. A
   * connection with posts still queued gets it through its queue instead, behind them, so the
   * order per connection is the same as with `post`.
   */
  async postToEach(connectionIds: readonly string[], data: unknown): Promise<PostOutcome[]> {
    const asOutcome = (posted: Promise<'sent' | 'gone'>) =>
      posted.then(
        (outcome): PostOutcome => outcome,
        (failed: unknown): PostOutcome => ({ failed }),
      );
    let frames;
    try {
      frames = coalesceFrames([{ data, source: null }]);
    } catch (failed) {
      return connectionIds.map(() => ({ failed }));
    }
    const [frame] = frames;
    // Split or replaced (over the frame limit): rare, and `post` already knows how.
    if (frames.length !== 1 || frame === undefined) return Promise.all(connectionIds.map((id) => asOutcome(this.post(id, data))));
    const queued = connectionIds.filter((connectionId) => this.queues.has(connectionId));
    if (queued.length === 0) {
      // The usual case: every socket is written in one loop, and one promise answers for all.
      try {
        return await this.gateway.sendToEach(connectionIds, frame.encoded ?? frame.text);
      } catch (failed) {
        return connectionIds.map(() => ({ failed }));
      }
    }
    const behind = new Map(queued.map((connectionId) => [connectionId, asOutcome(this.post(connectionId, data))]));
    const direct = connectionIds.filter((connectionId) => !behind.has(connectionId));
    const sent = new Map<string, PostOutcome>();
    try {
      const outcomes = await this.gateway.sendToEach(direct, frame.encoded ?? frame.text);
      direct.forEach((connectionId, index) => sent.set(connectionId, outcomes[index] ?? 'gone'));
    } catch (failed) {
      for (const connectionId of direct) sent.set(connectionId, { failed });
    }
    return Promise.all(connectionIds.map(async (connectionId) => (await behind.get(connectionId)) ?? sent.get(connectionId) ?? 'gone'));
  }

  async disconnect(connectionId: string): Promise<void> {
    // Posts made before the disconnect are written before the close, as their order promises.
    await this.queues.get(connectionId)?.drained;
    await this.gateway.closeConnection(connectionId);
  }

  private startQueue(connectionId: string, first: QueuedPost): void {
    let finish = () => undefined as void;
    const queue: ConnectionQueue = { pending: [first], drained: new Promise<void>((resolve) => (finish = resolve)) };
    this.queues.set(connectionId, queue);
    queueMicrotask(() => void this.drain(connectionId, queue, finish));
  }

  private async drain(connectionId: string, queue: ConnectionQueue, finish: () => void): Promise<void> {
    while (queue.pending.length > 0) {
      const taken = queue.pending.splice(0);
      let frames;
      try {
        frames = coalesceFrames(taken);
      } catch (error) {
        // Data JSON cannot carry (a cycle, a BigInt): the callers hear of it, the queue goes on.
        for (const post of taken) post.source.reject(error);
        continue;
      }
      const [only] = frames;
      if (frames.length === 1 && only) {
        // The usual case (one frame per flush): no settling of an array of promises.
        let outcome: 'sent' | 'gone';
        try {
          outcome = await this.gateway.sendToConnection(connectionId, only.encoded ?? only.text);
        } catch (error) {
          for (const source of only.sources) source.reject(error);
          continue;
        }
        for (const source of only.sources) source.resolve(outcome);
        if (outcome === 'gone') for (const post of queue.pending.splice(0)) post.source.resolve('gone');
        continue;
      }
      // Frames are handed to the socket together (the socket keeps their order); the next flush
      // waits for them, so posts arriving meanwhile coalesce.
      const outcomes = await Promise.allSettled(
        frames.map((frame) => this.gateway.sendToConnection(connectionId, frame.encoded ?? frame.text)),
      );
      let gone = false;
      outcomes.forEach((outcome, index) => {
        for (const source of frames[index]?.sources ?? []) {
          if (outcome.status === 'rejected') source.reject(outcome.reason);
          else source.resolve(outcome.value);
        }
        if (outcome.status === 'fulfilled' && outcome.value === 'gone') gone = true;
      });
      if (gone) for (const post of queue.pending.splice(0)) post.source.resolve('gone');
    }
    // Same synchronous step as the last emptiness check: no post can slip in between.
    this.queues.delete(connectionId);
    finish();
  }
}
