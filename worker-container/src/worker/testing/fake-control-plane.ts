import { AppendEventsRequest, type RunEventBody } from '@hangar/protocol';

/** What the fake does to the next request to `/events`. */
export type Fault = 'refuse' | 'unavailable' | 'lose-answer' | 'conflict';

/**
 * A stand-in for the control plane's `/internal/runs/:r/events`, as a `fetch` function: it
 * stores events by sequence number the way the real one does (a resent number is skipped),
 * refuses bodies over `maxBodyBytes` with 413, and plays scripted faults first. The real
 * deduplication is tested in functions/ (api-run-lifecycle.test.ts) and end to end in
 * scripts/e2e/worker-resilience.test.ts.
 */
export function fakeControlPlane(options: { maxBodyBytes?: number; faults?: Fault[] } = {}) {
  const stored: RunEventBody[] = [];
  const faults = [...(options.faults ?? [])];
  const bodySizes: number[] = [];
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const fetchImpl: typeof fetch = (_input, init) => {
    const text = typeof init?.body === 'string' ? init.body : '';
    const fault = faults.shift();
    if (fault === 'refuse') return Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }));
    if (fault === 'unavailable') return Promise.resolve(answer(503, { error: { code: 'unavailable', message: 'restarting' } }));
    if (fault === 'conflict') return Promise.resolve(answer(409, { error: { code: 'conflict', message: 'The run is stopped.' } }));
    const bytes = Buffer.byteLength(text);
    bodySizes.push(bytes);
    if (options.maxBodyBytes !== undefined && bytes > options.maxBodyBytes) {
      return Promise.resolve(answer(413, { error: { code: 'payload_too_large', message: 'too large' } }));
    }
    const request = AppendEventsRequest.parse(JSON.parse(text));
    const first = request.first ?? stored.length;
    if (first > stored.length) return Promise.resolve(answer(409, { error: { code: 'conflict', message: 'gap' } }));
    const fresh = request.events.slice(stored.length - first);
    stored.push(...fresh);
    if (fault === 'lose-answer') return Promise.reject(new TypeError('fetch failed', { cause: new Error('socket hang up') }));
    return Promise.resolve(answer(200, { ids: fresh.map((_, index) => `${first + index}`), received: stored.length }));
  };
  return { fetch: fetchImpl, stored, bodySizes, faultsLeft: () => faults.length };
}
