import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../http/testing';
import type { ScheduledFire } from '../ports/scheduler';
import { createScheduleFireHandler } from './schedule-fire-handler';

const context = {
  awsRequestId: 'req-1',
  functionName: 'hangar-schedule-fire',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
const event = {
  scheduleId: 'sch_0123456789abcdef0123456789abcdef',
  scheduledFor: '2026-12-01T09:00:00Z',
  expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
  createdAt: '2026-12-01T08:00:00.000Z',
};

describe('schedule fire Lambda entry point (EventBridge Scheduler target)', () => {
  let test: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    test = await createTestApp();
  });
  afterAll(() => test.close());

  it('hands the schedule id and due time to plane.schedules.fire and returns its outcome', async () => {
    const seen: ScheduledFire[] = [];
    const handler = createScheduleFireHandler(() =>
      Promise.resolve((due: ScheduledFire) => {
        seen.push(due);
        return test.plane.schedules.fire(due);
      }),
    );
    // Nothing in this control plane knows the schedule: the fire is skipped, not run.
    expect(await handler(event, context)).toEqual({ status: 'skipped', reason: 'unknown_schedule' });
    expect(seen).toEqual([{ scheduleId: event.scheduleId, scheduledFor: '2026-12-01T09:00:00.000Z' }]);
  });

  it('refuses a malformed event without calling the control plane (a retry could not fix it)', async () => {
    let calls = 0;
    const handler = createScheduleFireHandler(() => Promise.resolve(() => Promise.resolve(void calls++ as never)));
    const refused = await handler({ ...event, scheduledFor: '<aws.scheduler.scheduled-time>' }, context);
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringContaining('scheduledFor') as string });
    expect(await handler({ ...event, scheduleId: 'a/b' }, context)).toMatchObject({ status: 'rejected' });
    expect(await handler('not an object', context)).toMatchObject({ status: 'rejected' });
    expect(calls).toBe(0);
  });

  it('a failing control plane throws, so the schedule retry policy delivers the fire again', async () => {
    const handler = createScheduleFireHandler(() => Promise.resolve(() => Promise.reject(new Error('store not reachable'))));
    await expect(handler(event, context)).rejects.toThrow('store not reachable');
  });
});
