import { describe, expect, it } from 'vitest';
import { PushFailedError, type ConnectionPusher } from '../ports/connection-pusher';
import { createPushDelivery } from './push-delivery';

/** A pusher that answers from a script, one outcome per attempt, and records what happened. */
function scripted(outcomes: ('sent' | 'gone' | 'transient' | 'fatal')[]) {
  const calls: string[] = [];
  const pusher: ConnectionPusher = {
    post(connectionId) {
      calls.push(`post ${connectionId}`);
      const outcome = outcomes.shift() ?? 'sent';
      if (outcome === 'transient') return Promise.reject(new PushFailedError('503', true, 503));
      if (outcome === 'fatal') return Promise.reject(new PushFailedError('403', false, 403));
      return Promise.resolve(outcome);
    },
    disconnect(connectionId) {
      calls.push(`disconnect ${connectionId}`);
      return Promise.resolve();
    },
  };
  const waits: number[] = [];
  const deliver = createPushDelivery(pusher, { sleep: (milliseconds) => Promise.resolve(void waits.push(milliseconds)) });
  return { deliver, calls, waits };
}

describe('push delivery policy', () => {
  it('retries a transient failure with growing waits and delivers', async () => {
    const { deliver, calls, waits } = scripted(['transient', 'transient', 'sent']);
    expect(await deliver('c1', {})).toBe('sent');
    expect(calls).toEqual(['post c1', 'post c1', 'post c1']);
    expect(waits).toEqual([50, 200]);
  });

  it('closes the connection when attempts run out, so the client reconnects and resyncs', async () => {
    const { deliver, calls } = scripted(['transient', 'transient', 'transient']);
    expect(await deliver('c1', {})).toBe('closed');
    expect(calls).toEqual(['post c1', 'post c1', 'post c1', 'disconnect c1']);
  });

  it('does not retry a failure that cannot succeed, and never calls a live connection gone', async () => {
    const fatal = scripted(['fatal']);
    expect(await fatal.deliver('c1', {})).toBe('closed');
    expect(fatal.calls).toEqual(['post c1', 'disconnect c1']);
    const gone = scripted(['gone']);
    expect(await gone.deliver('c2', {})).toBe('gone');
    expect(gone.calls).toEqual(['post c2']);
  });
});
