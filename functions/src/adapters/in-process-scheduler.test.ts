import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../ports/scheduler';
import { schedulerContract } from '../ports/scheduler.contract';
import { createInProcessScheduler } from './in-process-scheduler';

const spec = (overrides: Partial<ScheduleSpec> = {}): ScheduleSpec => ({
  id: 'sch_app_enricher_1',
  workspaceId: 'wsp_1',
  appId: 'app_1',
  agentId: 'enricher',
  expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
  input: { source: 'schedule' },
  createdAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

describe('in-process scheduler on a controllable clock', () => {
  it('fires when the clock reaches the next fire time, once, then moves on', async () => {
    let now = new Date('2026-12-01T08:00:00Z');
    const fired: string[] = [];
    const scheduler = createInProcessScheduler({
      clock: { now: () => now },
      onFire: (s, fire) => Promise.resolve(void fired.push(`${s.agentId}@${fire.scheduledFor}`)),
    });
    await scheduler.put(spec());
    expect(await scheduler.nextFireAt('sch_app_enricher_1')).toBe('2026-12-01T09:00:00.000Z');
    expect(await scheduler.fireDue()).toEqual([]);
    now = new Date('2026-12-01T09:00:00Z');
    expect(await scheduler.fireDue()).toEqual([{ scheduleId: 'sch_app_enricher_1', scheduledFor: '2026-12-01T09:00:00.000Z' }]);
    expect(await scheduler.fireDue()).toEqual([]);
    expect(await scheduler.nextFireAt('sch_app_enricher_1')).toBe('2026-12-02T09:00:00.000Z');
    // Down over the weekend and back on Monday afternoon: one catch-up fire, not five.
    now = new Date('2026-12-07T15:00:00Z');
    expect((await scheduler.fireDue()).length).toBe(1);
    expect(fired).toEqual(['enricher@2026-12-01T09:00:00.000Z', 'enricher@2026-12-02T09:00:00.000Z']);
    expect(await scheduler.nextFireAt('sch_app_enricher_1')).toBe('2026-12-08T09:00:00.000Z');
  });

  it('replaces a schedule by id and stops firing a removed one', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const fired: string[] = [];
    const scheduler = createInProcessScheduler({ clock: { now: () => now }, onFire: (s) => Promise.resolve(void fired.push(s.id)) });
    await scheduler.put(spec({ expression: { rate: 'rate(5 minutes)' }, createdAt: '2026-12-01T10:00:00.000Z' }));
    await scheduler.put(spec({ expression: { rate: 'rate(10 minutes)' }, createdAt: '2026-12-01T10:00:00.000Z' }));
    now = new Date('2026-12-01T10:05:00Z');
    expect(await scheduler.fireDue()).toEqual([]);
    now = new Date('2026-12-01T10:10:00Z');
    expect((await scheduler.fireDue()).length).toBe(1);
    await scheduler.remove('sch_app_enricher_1');
    now = new Date('2026-12-01T11:00:00Z');
    expect(await scheduler.fireDue()).toEqual([]);
    expect(fired).toEqual(['sch_app_enricher_1']);
  });

  it('keeps going when one fire fails', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const logged: string[] = [];
    const scheduler = createInProcessScheduler({
      clock: { now: () => now },
      onFire: (s) => (s.id === 'bad' ? Promise.reject(new Error('limit reached')) : Promise.resolve()),
      log: (message) => logged.push(message),
    });
    await scheduler.put(spec({ id: 'bad', expression: { rate: 'rate(1 minute)' }, createdAt: '2026-12-01T09:58:30.000Z' }));
    await scheduler.put(spec({ id: 'good', expression: { rate: 'rate(1 minute)' }, createdAt: '2026-12-01T09:58:30.000Z' }));
    now = new Date('2026-12-01T10:01:00Z');
    expect((await scheduler.fireDue()).map((fire) => fire.scheduleId)).toEqual(['good']);
    expect(logged).toEqual(['schedule bad failed to fire: limit reached']);
  });
});

schedulerContract('in-process', (clock) => createInProcessScheduler({ clock, onFire: () => Promise.resolve() }));

describe('in-process scheduler restored after a restart', () => {
  it('fires once at once when a fire fell due while the host was down, then keeps the schedule', async () => {
    let now = new Date('2026-12-03T12:00:00Z');
    const fired: string[] = [];
    const scheduler = createInProcessScheduler({ clock: { now: () => now }, onFire: (_s, fire) => Promise.resolve(void fired.push(fire.scheduledFor)) });
    // Last fired Tuesday 09:00; the host was down over Wednesday 09:00.
    await scheduler.put(spec({ lastFiredAt: '2026-12-01T09:00:00.000Z' }));
    expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-02T09:00:00.000Z');
    expect((await scheduler.fireDue()).length).toBe(1);
    expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-04T09:00:00.000Z');
    now = new Date('2026-12-04T09:00:00Z');
    await scheduler.fireDue();
    expect(fired).toEqual(['2026-12-02T09:00:00.000Z', '2026-12-04T09:00:00.000Z']);
  });
});
