import { describe, expect, it } from 'vitest';
import { ControlPlaneClient, ControlPlaneError, waitForRunEvent } from './control-plane-client';

const quickRetry = { initialDelayMs: 1, maxDelayMs: 2, giveUpAfterMs: 2000 };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that answers from a list, recording each request's method and path. */
function scripted(answers: (() => Response | Promise<Response>)[]) {
  const calls: string[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : input).pathname}`);
    const next = answers.shift();
    return next ? Promise.resolve(next()) : Promise.reject(new TypeError('fetch failed'));
  };
  const client = new ControlPlaneClient('http://cp.test', 'run_1', 'token', fetchImpl, { retry: quickRetry });
  return { client, calls };
}

describe('ControlPlaneClient', () => {
  it('parses answers with the protocol schemas and refuses one that does not match, without retrying', async () => {
    const ok = scripted([() => json(200, { continue: true, status: 'running' })]);
    expect(await ok.client.heartbeat()).toEqual({ continue: true, status: 'running' });
    const bad = scripted([() => json(200, { continue: 'yes', status: 'running' })]);
    const error = await bad.client.heartbeat().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(bad.calls).toHaveLength(1);
  });

  it('retries no answer and 5xx, then succeeds; the same request is resent', async () => {
    const { client, calls } = scripted([
      () => Promise.reject(new TypeError('fetch failed')),
      () => json(503, { error: { code: 'unavailable', message: 'restarting' } }),
      () => json(200, { ids: ['1'], received: 1 }),
    ]);
    expect(await client.appendEvents([{ type: 'text.delta', text: 'a' }], 0)).toEqual({ ids: ['1'], received: 1 });
    expect(calls).toEqual(Array.from({ length: 3 }, () => 'POST /internal/runs/run_1/events'));
  });

  it('does not retry what the control plane refused (4xx), and says why', async () => {
    const { client, calls } = scripted([() => json(409, { error: { code: 'conflict', message: 'The run is stopped.' } })]);
    const error = await client
      .finish({ status: 'succeeded', summary: 's', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 409, code: 'conflict', retryable: false });
    expect(String(error)).toMatch(/answered POST \/finish with 409: The run is stopped\./);
    expect(calls).toHaveLength(1);
  });

  describe('waitForRunEvent', () => {
    const event = (id: string, body: Record<string, unknown>) => ({ id, runId: 'run_1', time: '2026-12-02T08:00:00.000Z', event: body });
    const planDecided = (event: { type: string }) => (event.type === 'plan.decided' ? 'decided' : undefined);
    /** A fetch that answers each long poll from a list, recording its query. */
    function longPolls(answers: unknown[][]) {
      const queries: string[] = [];
      const fetchImpl: typeof fetch = (input, init) => {
        queries.push(new URL(input instanceof Request ? input.url : input).search);
        const items = answers.shift();
        if (items) return Promise.resolve(json(200, { items }));
        // Nothing yet: the control plane holds the request until the caller gives up.
        return new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError'))),
        );
      };
      return { client: new ControlPlaneClient('http://cp.test', 'run_1', 'token', fetchImpl, { retry: quickRetry }), queries };
    }

    it('long polls from the last event seen until the awaited one arrives', async () => {
      const { client, queries } = longPolls([
        [event('1-1', { type: 'text.delta', text: 'a' })],
        [],
        [event('1-3', { type: 'plan.decided', decision: 'accepted' })],
      ]);
      await expect(waitForRunEvent(client, '1-0', planDecided, new AbortController().signal, 'waiting')).resolves.toBe('decided');
      expect(queries).toEqual(['?after=1-0&waitMs=5000', '?after=1-1&waitMs=5000', '?after=1-1&waitMs=5000']);
    });

    it('ends when the run ends first, or when it is stopped while waiting', async () => {
      const ended = longPolls([[event('1-1', { type: 'run.stopped', by: 'usr_1' })]]);
      await expect(waitForRunEvent(ended.client, undefined, planDecided, new AbortController().signal, 'waiting for it')).rejects.toThrow(
        'The run ended while waiting for it.',
      );
      const stopped = longPolls([]);
      const controller = new AbortController();
      const waiting = waitForRunEvent(stopped.client, undefined, planDecided, controller.signal, 'waiting for it');
      controller.abort();
      await expect(waiting).rejects.toThrow('The run was stopped while waiting for it.');
    });
  });
});
