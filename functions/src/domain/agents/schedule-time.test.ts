import { describe, expect, it } from 'vitest';
import { nextFireTime } from './schedule-time';

const at = (iso: string) => new Date(iso);
const next = (cron: string, timezone: string, after: string) => nextFireTime({ cron, timezone }, at(after))?.toISOString();

describe('schedule times', () => {
  it('fires weekday mornings in the schedule’s own time zone (London in winter and in summer)', () => {
    expect(next('0 9 * * 1-5', 'Europe/London', '2026-12-01T08:59:30Z')).toBe('2026-12-01T09:00:00.000Z');
    expect(next('0 9 * * 1-5', 'Europe/London', '2026-12-01T09:00:00Z')).toBe('2026-12-02T09:00:00.000Z');
    // Friday evening → Monday.
    expect(next('0 9 * * 1-5', 'Europe/London', '2026-12-04T18:00:00Z')).toBe('2026-12-07T09:00:00.000Z');
    // British Summer Time: 09:00 local is 08:00 UTC.
    expect(next('0 9 * * 1-5', 'Europe/London', '2026-07-01T07:00:00Z')).toBe('2026-07-01T08:00:00.000Z');
  });

  it('handles steps, lists, half-hour zones and day-of-month or day-of-week', () => {
    expect(next('*/15 * * * *', 'UTC', '2026-12-01T10:07:00Z')).toBe('2026-12-01T10:15:00.000Z');
    expect(next('0 0 * * *', 'Asia/Kolkata', '2026-12-01T12:00:00Z')).toBe('2026-12-01T18:30:00.000Z');
    expect(next('30 6 1,15 * *', 'UTC', '2026-12-02T00:00:00Z')).toBe('2026-12-15T06:30:00.000Z');
    // Both restricted: the 13th or any Friday, whichever comes first.
    expect(next('0 12 13 * 5', 'UTC', '2026-12-01T00:00:00Z')).toBe('2026-12-04T12:00:00.000Z');
    expect(next('0 0 29 2 *', 'UTC', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('runs rates from their anchor', () => {
    const anchor = at('2026-12-01T10:00:00Z');
    expect(nextFireTime({ rate: 'rate(5 minutes)', anchor }, at('2026-12-01T10:00:00Z'))?.toISOString()).toBe('2026-12-01T10:05:00.000Z');
    expect(nextFireTime({ rate: 'rate(1 hour)', anchor }, at('2026-12-01T12:30:00Z'))?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(nextFireTime({ rate: 'rate(2 days)', anchor }, at('2026-11-01T00:00:00Z'))?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});
