import { describe, expect, it } from 'vitest';
import { internalLimits, TruncatedToolInput, type RunEventBody } from '@hangar/protocol';
import { ControlPlaneClient } from './control-plane-client';
import { EventDeliveryError, HttpRunSink } from './http-run-sink';
import { fakeControlPlane, type Fault } from './testing/fake-control-plane';

const quickRetry = { initialDelayMs: 1, maxDelayMs: 5, giveUpAfterMs: 2000 };

function sinkOver(plane: ReturnType<typeof fakeControlPlane>, options: ConstructorParameters<typeof HttpRunSink>[1] = {}) {
  const client = new ControlPlaneClient('http://control-plane.test', 'run_1', 'token', plane.fetch, { retry: quickRetry });
  return new HttpRunSink(client, { flushMs: 1, ...options });
}

const toolStarted = (callId: string, input: unknown): RunEventBody => ({ type: 'tool.started', callId, name: 'write_file', input });
const summaryOf = (events: RunEventBody[]) => events.map((event) => (event.type === 'tool.started' ? event.callId : event.type));

describe('HttpRunSink', () => {
  it('delivers every event once and in order through refused connections, 503s and lost answers', async () => {
    const faults: Fault[] = ['refuse', 'refuse', 'unavailable', 'lose-answer', 'refuse', 'lose-answer'];
    const plane = fakeControlPlane({ faults });
    const sink = sinkOver(plane);
    for (let index = 0; index < 120; index++) {
      await sink.event(toolStarted(`call_${index}`, { index }));
      if (index % 40 === 0) await sink.flush();
    }
    await sink.event({ type: 'text.delta', text: 'Hel' });
    await sink.event({ type: 'text.delta', text: 'lo' });
    await sink.flush();
    expect(plane.faultsLeft()).toBe(0);
    expect(sink.failure).toBeNull();
    expect(summaryOf(plane.stored)).toEqual([...Array.from({ length: 120 }, (_, index) => `call_${index}`), 'text.delta']);
    expect(plane.stored.at(-1)).toEqual({ type: 'text.delta', text: 'Hello' });
  });

  it('splits a batch refused as too large, and shortens an event too large on its own', async () => {
    const plane = fakeControlPlane({ maxBodyBytes: 20_000 });
    const sink = sinkOver(plane);
    const huge = 'x'.repeat(50 * 1024 * 1024);
    for (let index = 0; index < 30; index++) await sink.event(toolStarted(`call_${index}`, { text: 'y'.repeat(1000) }));
    await sink.event(toolStarted('call_huge', { path: 'src/huge.txt', content: huge }));
    await sink.event({
      type: 'tool.finished',
      callId: 'call_huge',
      name: 'write_file',
      ok: false,
      summary: 'too large',
      output: 'The file is too large.',
    });
    await sink.flush();
    expect(sink.failure).toBeNull();
    expect(summaryOf(plane.stored)).toEqual([...Array.from({ length: 30 }, (_, index) => `call_${index}`), 'call_huge', 'tool.finished']);
    const shortened = plane.stored[30];
    expect(shortened?.type === 'tool.started' && shortened.input).toMatchObject({ path: 'src/huge.txt' });
    const content = shortened?.type === 'tool.started' ? (shortened.input as { content: string }).content : '';
    expect(content).toMatch(/… \[truncated by the worker: 52428800 characters in all\]$/);
    expect(Buffer.byteLength(JSON.stringify(shortened))).toBeLessThan(20_000);
    // Every body that was stored fit the cap; some were refused and split.
    expect(plane.bodySizes.some((size) => size > 20_000)).toBe(true);
  });

  it('replaces a tool input that stays too large after shortening its strings', async () => {
    const plane = fakeControlPlane();
    const sink = sinkOver(plane);
    await sink.event(toolStarted('call_many', { rows: Array.from({ length: 200_000 }, (_, index) => index) }));
    await sink.flush();
    const [stored] = plane.stored;
    expect(stored?.type).toBe('tool.started');
    const input = TruncatedToolInput.parse(stored?.type === 'tool.started' ? stored.input : null);
    expect(input.originalBytes).toBeGreaterThan(internalLimits.maxEventBytes);
  });

  it('reports a refusal it cannot retry as a delivery failure, once, and never rejects event()', async () => {
    const plane = fakeControlPlane({ faults: ['conflict'] });
    const failures: EventDeliveryError[] = [];
    const sink = sinkOver(plane, { onFailure: (failure) => failures.push(failure) });
    await sink.event({ type: 'text.delta', text: 'a' });
    await expect(sink.flush()).rejects.toBeInstanceOf(EventDeliveryError);
    await expect(sink.event({ type: 'text.delta', text: 'b' })).resolves.toBeUndefined();
    await expect(sink.flush()).rejects.toThrow(/could not be delivered to the control plane.*409/);
    expect(failures).toHaveLength(1);
    expect(plane.stored).toEqual([]);
  });

  it('gives up on a control plane that stays away past its retry window, with the reason', async () => {
    const plane = fakeControlPlane({ faults: Array.from<Fault>({ length: 1000 }).fill('refuse') });
    const client = new ControlPlaneClient('http://control-plane.test', 'run_1', 'token', plane.fetch, {
      retry: { initialDelayMs: 1, maxDelayMs: 2, giveUpAfterMs: 30 },
    });
    const sink = new HttpRunSink(client, { flushMs: 1 });
    await sink.event({ type: 'text.delta', text: 'a' });
    await expect(sink.flush()).rejects.toThrow(/did not answer POST \/events.*ECONNREFUSED/);
  });
});
