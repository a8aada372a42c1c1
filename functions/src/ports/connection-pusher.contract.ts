import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limits } from '@hangar/protocol';
import type { ConnectionPusher } from './connection-pusher';

/** A WebSocket client connected to the gateway the pusher under test delivers to. */
export interface PusherTestClient {
  /** The gateway's connection id for this client. */
  connectionId: string;
  /** Every text frame received so far, parsed. */
  frames: unknown[];
  /** Resolves once `count` frames have arrived in total. */
  waitForFrames(count: number): Promise<unknown[]>;
  /** Resolves once the frames received so far satisfy `done` (checked on every arrival). */
  waitUntil(done: (frames: unknown[]) => boolean): Promise<unknown[]>;
  /** Resolves with the close code once the socket has closed. */
  closed: Promise<number>;
  /** Closes from the client side; resolves once the gateway has processed the disconnect. */
  close(): Promise<void>;
}

export interface PusherContractSubject {
  pusher: ConnectionPusher;
  connect(): Promise<PusherTestClient>;
  cleanup(): Promise<void>;
}

export interface PusherContractOptions {
  /**
   * Whether posts issued together to one connection are queued (so they arrive in issue order
   * even when not awaited one by one) and coalesced into `data.changes` frames. The SDK adapter
   * sends one request per post, so only awaited posts have an order; its coalescing lives in
   * the relay's bounded fan-out, which is tested on its own.
   */
  queuesPerConnection: boolean;
}

const changed = (seq: number, collection = 'tasks') => ({
  type: 'data.changed',
  appId: 'app_1',
  scope: 'draft',
  collection,
  change: { operation: 'insert', documentId: `d${seq}`, document: { _id: `d${seq}`, seq }, epoch: 'e1', seq },
});

const endsWithSentinel = (frames: unknown[]) => (frames.at(-1) as { text?: string } | undefined)?.text === 'sentinel';

/** Every change carried by the frames a client received, as sequence numbers in arrival order. */
function seqsOf(frames: unknown[]): number[] {
  return frames.flatMap((frame) => {
    const message = frame as { type: string; change?: { seq: number }; changes?: { seq: number }[] };
    if ((message.type === 'data.changed' || message.type === 'data.reload') && message.change) return [message.change.seq];
    if (message.type === 'data.changes' && message.changes) return message.changes.map((change) => change.seq);
    return [];
  });
}

/** The one suite every connection pusher adapter passes. */
export function describeConnectionPusherContract(
  name: string,
  createSubject: () => Promise<PusherContractSubject>,
  options: PusherContractOptions,
): void {
  describe(`connection pusher contract: ${name}`, () => {
    if (!options.queuesPerConnection) {
      console.info(
        `${name}: one request per post, so the queued-order and coalescing cases are skipped (bounded-fan-out.test.ts covers them)`,
      );
    }
    let subject: PusherContractSubject;
    beforeEach(async () => {
      subject = await createSubject();
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('posts one JSON text frame and answers sent', async () => {
      const client = await subject.connect();
      const message = { type: 'session.notice', text: 'hello', nested: { list: [1, 'two', null] } };
      expect(await subject.pusher.post(client.connectionId, message)).toBe('sent');
      expect(await client.waitForFrames(1)).toEqual([message]);
    });

    it('answers gone for an unknown connection and for one that has closed', async () => {
      expect(await subject.pusher.post('bm8tc3VjaC1jb25uZWN0aW9u=', { type: 'x' })).toBe('gone');
      const client = await subject.connect();
      await client.close();
      expect(await subject.pusher.post(client.connectionId, changed(1))).toBe('gone');
    });

    it('delivers only to the connection addressed', async () => {
      const [first, second] = [await subject.connect(), await subject.connect()];
      await Promise.all([subject.pusher.post(first.connectionId, changed(1)), subject.pusher.post(second.connectionId, changed(2))]);
      expect(seqsOf(await first.waitForFrames(1))).toEqual([1]);
      expect(seqsOf(await second.waitForFrames(1))).toEqual([2]);
      await subject.pusher.post(first.connectionId, { type: 'session.notice', text: 'sentinel' });
      await first.waitForFrames(2);
      expect(second.frames).toHaveLength(1);
    });

    it('keeps the order of awaited posts', async () => {
      const client = await subject.connect();
      for (let index = 0; index < 20; index++) {
        await subject.pusher.post(client.connectionId, { type: 'session.notice', text: `n${index}` });
      }
      const frames = await client.waitForFrames(20);
      expect(frames.map((frame) => (frame as { text: string }).text)).toEqual(Array.from({ length: 20 }, (_, index) => `n${index}`));
    });

    it('disconnects: the client sees the close, later posts are gone, a second disconnect is no error', async () => {
      const client = await subject.connect();
      await subject.pusher.disconnect(client.connectionId);
      expect(await client.closed).toBe(1000);
      expect(await subject.pusher.post(client.connectionId, changed(1))).toBe('gone');
      await expect(subject.pusher.disconnect(client.connectionId)).resolves.toBeUndefined();
    });

    it('rejects a message over the 128 KB PostToConnection limit', async () => {
      const client = await subject.connect();
      const huge = { type: 'session.notice', text: 'x'.repeat(130 * 1024) };
      await expect(subject.pusher.post(client.connectionId, huge)).rejects.toMatchObject({
        name: 'PushFailedError',
        status: 413,
        retryable: false,
      });
      // The connection is still usable afterwards.
      expect(await subject.pusher.post(client.connectionId, changed(1))).toBe('sent');
      expect(seqsOf(await client.waitForFrames(1))).toEqual([1]);
    });

    it('sends a change too large for a 32 KB frame as a data.reload notice in its place (bytes counted as UTF-8)', async () => {
      const client = await subject.connect();
      // 17,000 × "é" is 17,000 UTF-16 code units but 34,000 bytes on the wire: over the limit.
      const large = changed(2);
      large.change.document = { _id: 'd2', seq: 2, text: 'é'.repeat(17_000) } as typeof large.change.document;
      for (const message of [changed(1), large, changed(3)]) expect(await subject.pusher.post(client.connectionId, message)).toBe('sent');
      await subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'sentinel' });
      const frames = await client.waitUntil(endsWithSentinel);
      expect(frames[1]).toEqual({
        type: 'data.reload',
        appId: 'app_1',
        scope: 'draft',
        collection: 'tasks',
        change: { operation: 'insert', documentId: 'd2', epoch: 'e1', seq: 2 },
      });
      expect(seqsOf(frames)).toEqual([1, 2, 3]);
      for (const frame of frames) expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(limits.maxServerFrameBytes);
    });

    it('splits a data.changes batch over 32 KB into frames under it, every change once and in order', async () => {
      const client = await subject.connect();
      const changes = Array.from({ length: 20 }, (_, index) => {
        const change = changed(index + 1).change;
        return { ...change, document: { ...change.document, padding: 'x'.repeat(3_000) } };
      });
      const batch = { type: 'data.changes', appId: 'app_1', scope: 'draft', collection: 'tasks', changes };
      expect(await subject.pusher.post(client.connectionId, batch)).toBe('sent');
      await subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'sentinel' });
      const frames = await client.waitUntil(endsWithSentinel);
      expect(frames.length).toBeGreaterThanOrEqual(3);
      expect(seqsOf(frames)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      for (const frame of frames) expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(limits.maxServerFrameBytes);
    });

    it('delivers every change of a burst exactly once, in order', async () => {
      const client = await subject.connect();
      const burst = Array.from({ length: 40 }, (_, index) => index + 1);
      const outcomes = options.queuesPerConnection
        ? await Promise.all(burst.map((seq) => subject.pusher.post(client.connectionId, changed(seq))))
        : await burst.reduce<Promise<string[]>>(
            async (done, seq) => [...(await done), await subject.pusher.post(client.connectionId, changed(seq))],
            Promise.resolve([]),
          );
      expect(outcomes.every((outcome) => outcome === 'sent')).toBe(true);
      await subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'sentinel' });
      const frames = await client.waitUntil(endsWithSentinel);
      expect(seqsOf(frames)).toEqual(burst);
    });

    it.runIf(options.queuesPerConnection)('coalesces a burst to one subscriber into one data.changes frame', async () => {
      const client = await subject.connect();
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, index) => subject.pusher.post(client.connectionId, changed(index + 1))),
      );
      expect(outcomes).toEqual(Array.from({ length: 30 }, () => 'sent'));
      await subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'sentinel' });
      const frames = await client.waitForFrames(2);
      expect(frames[0]).toMatchObject({ type: 'data.changes', appId: 'app_1', scope: 'draft', collection: 'tasks' });
      expect(seqsOf(frames)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    });

    it.runIf(options.queuesPerConnection)('keeps collections and other messages apart, in issue order', async () => {
      const client = await subject.connect();
      await Promise.all([
        subject.pusher.post(client.connectionId, changed(1)),
        subject.pusher.post(client.connectionId, changed(2)),
        subject.pusher.post(client.connectionId, changed(1, 'notes')),
        subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'between' }),
        subject.pusher.post(client.connectionId, changed(3)),
      ]);
      const frames = (await client.waitForFrames(4)) as { type: string; collection?: string }[];
      expect(frames.map((frame) => `${frame.type}:${frame.collection ?? ''}`)).toEqual([
        'data.changes:tasks',
        'data.changed:notes',
        'session.notice:',
        'data.changed:tasks',
      ]);
      expect(seqsOf(frames)).toEqual([1, 2, 1, 3]);
    });

    it.runIf(options.queuesPerConnection)('never puts more than 500 changes in one frame', async () => {
      const client = await subject.connect();
      const outcomes = await Promise.all(
        Array.from({ length: 1_200 }, (_, index) => subject.pusher.post(client.connectionId, changed(index + 1))),
      );
      expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1_200);
      await subject.pusher.post(client.connectionId, { type: 'session.notice', text: 'sentinel' });
      const frames = await client.waitUntil(endsWithSentinel);
      expect(frames.length).toBeGreaterThanOrEqual(4);
      for (const frame of frames) expect(((frame as { changes?: unknown[] }).changes ?? []).length).toBeLessThanOrEqual(500);
      expect(seqsOf(frames)).toEqual(Array.from({ length: 1_200 }, (_, index) => index + 1));
    });

    /** `postToEach` is optional on the port; every adapter run through this suite has it. */
    const postToEach = (connectionIds: readonly string[], data: unknown) => {
      if (!subject.pusher.postToEach) throw new Error(`${name} has no postToEach`);
      return subject.pusher.postToEach(connectionIds, data);
    };

    it('postToEach sends the same frame to each connection and answers per connection, in the order given', async () => {
      const [first, second] = [await subject.connect(), await subject.connect()];
      const outcomes = await postToEach([first.connectionId, 'bm8tc3VjaC1jb25uZWN0aW9u=', second.connectionId], changed(7));
      expect(outcomes).toEqual(['sent', 'gone', 'sent']);
      expect(await first.waitForFrames(1)).toEqual([changed(7)]);
      expect(await second.waitForFrames(1)).toEqual([changed(7)]);
    });

    it('postToEach answers a failure per connection instead of rejecting, and the connections stay usable', async () => {
      const [first, second] = [await subject.connect(), await subject.connect()];
      const huge = { type: 'session.notice', text: 'x'.repeat(130 * 1024) };
      const outcomes = await postToEach([first.connectionId, second.connectionId], huge);
      expect(outcomes).toHaveLength(2);
      for (const outcome of outcomes) {
        expect(typeof outcome === 'object' ? outcome.failed : outcome).toMatchObject({
          name: 'PushFailedError',
          status: 413,
          retryable: false,
        });
      }
      expect(await postToEach([first.connectionId, second.connectionId], changed(1))).toEqual(['sent', 'sent']);
      expect(seqsOf(await first.waitForFrames(1))).toEqual([1]);
      expect(seqsOf(await second.waitForFrames(1))).toEqual([1]);
    });

    it('postToEach holds a change too large for a frame to the frame limit (a data.reload notice), as post does', async () => {
      const client = await subject.connect();
      const large = changed(2);
      large.change.document = { _id: 'd2', seq: 2, text: 'é'.repeat(17_000) } as typeof large.change.document;
      expect(await postToEach([client.connectionId], large)).toEqual(['sent']);
      const [frame] = await client.waitForFrames(1);
      expect(frame).toMatchObject({ type: 'data.reload', change: { documentId: 'd2', seq: 2 } });
    });

    it.runIf(options.queuesPerConnection)('postToEach to a connection with posts still queued comes after them', async () => {
      const [busy, idle] = [await subject.connect(), await subject.connect()];
      const queued = [subject.pusher.post(busy.connectionId, changed(1)), subject.pusher.post(busy.connectionId, changed(2))];
      expect(await postToEach([busy.connectionId, idle.connectionId], changed(3))).toEqual(['sent', 'sent']);
      expect(await Promise.all(queued)).toEqual(['sent', 'sent']);
      expect(seqsOf(await busy.waitUntil((frames) => seqsOf(frames).length === 3))).toEqual([1, 2, 3]);
      expect(seqsOf(await idle.waitForFrames(1))).toEqual([3]);
    });

    it.runIf(options.queuesPerConnection)('writes posts issued before a disconnect before closing', async () => {
      const client = await subject.connect();
      const posted = [subject.pusher.post(client.connectionId, changed(1)), subject.pusher.post(client.connectionId, changed(2))];
      await subject.pusher.disconnect(client.connectionId);
      expect(await Promise.all(posted)).toEqual(['sent', 'sent']);
      expect(await client.closed).toBe(1000);
      expect(seqsOf(client.frames)).toEqual([1, 2]);
    });
  });
}
