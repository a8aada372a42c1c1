import { describe, expect, it } from 'vitest';
import type { Clock } from './clock';
import type { ScheduleSpec, Scheduler } from './scheduler';

/** A clock the contract moves by hand. */
export interface SettableClock extends Clock {
  set(time: string): void;
}

export function settableClock(start: string): SettableClock {
  let now = new Date(start);
  return {
    now: () => now,
    set(time) {
      now = new Date(time);
    },
  };
}

const spec = (overrides: Partial<ScheduleSpec> = {}): ScheduleSpec => ({
  id: 'sch_0123456789abcdef01234567',
  workspaceId: 'wsp_1',
  appId: 'app_1',
  agentId: 'enricher',
  expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
  input: {},
  createdAt: '2026-12-01T08:00:00.000Z',
  ...overrides,
});

/**
 * The scheduler port's contract, run against every adapter (in process, and EventBridge over a
 * fake of its API): put is idempotent and replaces by id, remove tolerates the unknown, and
 * nextFireAt follows the expression in its time zone.
 */
export function schedulerContract(name: string, make: (clock: SettableClock) => Scheduler | Promise<Scheduler>): void {
  describe(`scheduler contract: ${name}`, () => {
    it('a cron schedule fires next at its local time, in winter and in summer time', async () => {
      const clock = settableClock('2026-12-01T08:00:00.000Z');
      const scheduler = await make(clock);
      await scheduler.put(spec());
      expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-01T09:00:00.000Z');
      clock.set('2027-07-01T06:00:00.000Z');
      await scheduler.put(spec({ createdAt: '2027-07-01T06:00:00.000Z' }));
      // London is on BST in July: 09:00 local is 08:00 UTC.
      expect(await scheduler.nextFireAt(spec().id)).toBe('2027-07-01T08:00:00.000Z');
    });

    it('a rate schedule counts from when it was created', async () => {
      const clock = settableClock('2026-12-01T10:00:00.000Z');
      const scheduler = await make(clock);
      await scheduler.put(spec({ expression: { rate: 'rate(15 minutes)' }, createdAt: '2026-12-01T10:00:00.000Z' }));
      expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-01T10:15:00.000Z');
    });

    it('putting again replaces the schedule by id, and putting the same twice leaves one', async () => {
      const clock = settableClock('2026-12-01T08:00:00.000Z');
      const scheduler = await make(clock);
      await scheduler.put(spec());
      await scheduler.put(spec());
      await scheduler.put(spec({ expression: { cron: '30 7 * * *', timezone: 'America/New_York' } }));
      // 07:30 in New York (EST, UTC-5) is 12:30 UTC.
      expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-01T12:30:00.000Z');
      await scheduler.remove(spec().id);
      expect(await scheduler.nextFireAt(spec().id)).toBeNull();
    });

    it('a classic cron restricting both day fields fires on either', async () => {
      const clock = settableClock('2026-12-01T08:00:00.000Z');
      const scheduler = await make(clock);
      // The 15th of the month or any Sunday, at noon UTC: Sunday the 6th comes first.
      await scheduler.put(spec({ expression: { cron: '0 12 15 * 0', timezone: 'UTC' } }));
      expect(await scheduler.nextFireAt(spec().id)).toBe('2026-12-06T12:00:00.000Z');
      await scheduler.remove(spec().id);
      expect(await scheduler.nextFireAt(spec().id)).toBeNull();
    });

    it('removing an unknown schedule is not an error, and an unknown schedule has no next fire', async () => {
      const scheduler = await make(settableClock('2026-12-01T08:00:00.000Z'));
      await expect(scheduler.remove('sch_unknown')).resolves.toBeUndefined();
      expect(await scheduler.nextFireAt('sch_unknown')).toBeNull();
    });
  });
}
