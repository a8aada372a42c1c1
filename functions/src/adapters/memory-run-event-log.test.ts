import { describe, expect, it } from 'vitest';
import { describeRunEventLogContract } from '../ports/run-event-log.contract';
import { createMemoryRunEventLog } from './memory-run-event-log';

describeRunEventLogContract('memory', () => {
  const log = createMemoryRunEventLog();
  return Promise.resolve({ log, cleanup: () => log.close() });
});

describe('memory run event log', () => {
  it('uses zero-padded sequence ids and the injected clock', async () => {
    const log = createMemoryRunEventLog({ clock: { now: () => new Date('2026-01-02T03:04:05.000Z') } });
    const first = await log.append('run_a', { type: 'text.delta', text: 'a' });
    expect(first).toMatchObject({ id: '000000000001', time: '2026-01-02T03:04:05.000Z' });
    expect((await log.append('run_a', { type: 'text.delta', text: 'b' })).id).toBe('000000000002');
    expect((await log.append('run_b', { type: 'text.delta', text: 'c' })).id).toBe('000000000001');
    await log.close();
  });

  it('keeps the newest maxEventsPerRun events; an older `after` starts at the oldest retained', async () => {
    const log = createMemoryRunEventLog({ maxEventsPerRun: 3 });
    const appended = [];
    for (let index = 0; index < 5; index++) appended.push(await log.append('run_a', { type: 'text.delta', text: String(index) }));
    const retained = appended.slice(2);
    expect(await log.read('run_a')).toEqual(retained);
    expect(await log.read('run_a', { after: appended[0]?.id ?? '' })).toEqual(retained);
    expect(await log.read('run_a', { after: appended[2]?.id ?? '' })).toEqual(retained.slice(1));
    const subscription = log.subscribe('run_a', { after: '000000000000' });
    const received = [];
    for await (const stored of subscription) {
      received.push(stored);
      if (received.length === 3) break;
    }
    expect(received).toEqual(retained);
    await log.close();
  });

  it('rejects appends after close', async () => {
    const log = createMemoryRunEventLog();
    await log.close();
    await expect(log.append('run_a', { type: 'text.delta', text: 'late' })).rejects.toThrow(/closed/);
  });
});
