import { afterEach, describe, expect, it } from 'vitest';
import { ApiGatewayConnectionPusher } from '../adapters/apigateway-connection-pusher';
import { PushFailedError, type ConnectionPusher } from '../ports/connection-pusher';
import type { PusherContractSubject, PusherTestClient } from '../ports/connection-pusher.contract';
import { pusherTestAccessKeyId, startPusherTestGateway } from '../testing/pusher-test-gateway';
import { fanOut, type FanOutDelivery } from './bounded-fan-out';

const changed = (seq: number, collection = 'tasks') => ({
  type: 'data.changed',
  appId: 'app_1',
  scope: 'draft',
  collection,
  change: { operation: 'insert', documentId: `d${seq}`, document: null, epoch: 'e1', seq },
});

/** A pusher whose posts stay in flight until the test releases them, so concurrency is observable. */
function heldPusher(goneIds: ReadonlySet<string> = new Set()) {
  const held: { connectionId: string; data: unknown; released: boolean; release: () => void }[] = [];
  const disconnected: string[] = [];
  let maxInFlight = 0;
  const waiters = new Set<() => void>();
  const inFlight = () => held.filter((entry) => !entry.released).length;
  const pusher: ConnectionPusher = {
    post: (connectionId, data) =>
      new Promise((resolve, reject) => {
        const entry = {
          connectionId,
          data,
          released: false,
          release: () => {
            entry.released = true;
            if (connectionId === 'explodes') reject(new PushFailedError('bad request', false, 400));
            else resolve(goneIds.has(connectionId) ? 'gone' : 'sent');
          },
        };
        held.push(entry);
        maxInFlight = Math.max(maxInFlight, inFlight());
        for (const wake of waiters) wake();
      }),
    disconnect: (connectionId) => Promise.resolve(void disconnected.push(connectionId)),
  };
  /** Resolves once `count` posts are in flight. */
  const inFlightReaches = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (inFlight() < count) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const releaseAll = () => {
    for (const entry of held) if (!entry.released) entry.release();
  };
  return { pusher, held, disconnected, inFlight, inFlightReaches, releaseAll, maxInFlight: () => maxInFlight };
}

describe('fanOut', () => {
  it('keeps at most `concurrency` connections in flight and reaches every connection', async () => {
    const fake = heldPusher();
    const deliveries: FanOutDelivery[] = Array.from({ length: 10 }, (_, index) => ({ connectionId: `c${index}`, message: changed(1) }));
    const finished = fanOut(fake.pusher, deliveries, { concurrency: 3 });
    for (let round = 0; round < 4; round++) {
      await fake.inFlightReaches(Math.min(3, 10 - round * 3));
      expect(fake.inFlight()).toBe(Math.min(3, 10 - round * 3));
      fake.releaseAll();
    }
    const result = await finished;
    expect(fake.maxInFlight()).toBe(3);
    expect(new Set(fake.held.map((entry) => entry.connectionId))).toEqual(new Set(deliveries.map((each) => each.connectionId)));
    expect(result).toMatchObject({ gone: [], closed: [], frames: 10, delivered: 10 });
  });

  it('coalesces each connection’s burst into one post and reports gone connections and those the push policy closed', async () => {
    const fake = heldPusher(new Set(['gone-one']));
    const deliveries: FanOutDelivery[] = [];
    for (let seq = 1; seq <= 5; seq++) {
      for (const connectionId of ['a', 'gone-one', 'explodes', 'b']) deliveries.push({ connectionId, message: changed(seq) });
    }
    const finished = fanOut(fake.pusher, deliveries, { concurrency: 2 });
    for (let round = 0; round < 2; round++) {
      await fake.inFlightReaches(2);
      fake.releaseAll();
    }
    const result = await finished;
    expect(fake.held).toHaveLength(4);
    for (const entry of fake.held) {
      expect(entry.data).toMatchObject({ type: 'data.changes', changes: [1, 2, 3, 4, 5].map((seq) => changed(seq).change) });
    }
    expect(result.gone).toEqual(['gone-one']);
    // A push that cannot succeed (not retryable) closes the connection, so its client resynchronizes.
    expect(result.closed).toEqual(['explodes']);
    expect(fake.disconnected).toEqual(['explodes']);
    expect(result).toMatchObject({ frames: 2, delivered: 10 });
  });

  it('retries a transient failure with the one push policy before giving up on a connection', async () => {
    const attempts = new Map<string, number>();
    const pusher: ConnectionPusher = {
      post: (connectionId) => {
        const attempt = (attempts.get(connectionId) ?? 0) + 1;
        attempts.set(connectionId, attempt);
        // "flaky" is throttled once; "down" always.
        if ((connectionId === 'flaky' && attempt === 1) || connectionId === 'down')
          return Promise.reject(new PushFailedError('throttled', true, 429));
        return Promise.resolve('sent');
      },
      disconnect: () => Promise.resolve(),
    };
    const slept: number[] = [];
    const result = await fanOut(
      pusher,
      ['flaky', 'down', 'fine'].map((connectionId) => ({ connectionId, message: changed(1) })),
      { concurrency: 3, delivery: { attempts: 3, sleep: (milliseconds) => Promise.resolve(void slept.push(milliseconds)) } },
    );
    expect(result).toMatchObject({ gone: [], closed: ['down'], frames: 2, delivered: 2 });
    expect(Object.fromEntries(attempts)).toEqual({ flaky: 2, down: 3, fine: 1 });
    expect(slept.length).toBe(3);
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    await expect(fanOut(heldPusher().pusher, [], { concurrency: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('fanOut through the real SDK client and the local gateway', () => {
  let subject: PusherContractSubject | undefined;
  afterEach(async () => {
    await subject?.cleanup();
    subject = undefined;
  });

  it('delivers every change to every subscriber in order, one frame per subscriber, and names the gone ones', async () => {
    subject = await startPusherTestGateway(
      (gateway) =>
        new ApiGatewayConnectionPusher({
          endpoint: gateway.managementEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: pusherTestAccessKeyId, secretAccessKey: 'fan-out' },
        }),
    );
    const clients: PusherTestClient[] = [];
    for (let index = 0; index < 12; index++) clients.push(await subject.connect());
    const leaver = clients.pop();
    await leaver?.close();
    const deliveries: FanOutDelivery[] = [];
    for (let seq = 1; seq <= 8; seq++) {
      for (const client of [...clients, ...(leaver ? [leaver] : [])])
        deliveries.push({ connectionId: client.connectionId, message: changed(seq) });
    }
    const result = await fanOut(subject.pusher, deliveries, { concurrency: 4 });
    expect(result.gone).toEqual([leaver?.connectionId]);
    expect(result).toMatchObject({ closed: [], frames: 11, delivered: 88 });
    for (const client of clients) {
      const [frame] = await client.waitForFrames(1);
      expect((frame as { changes: { seq: number }[] }).changes.map((change) => change.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });
});
