import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ScheduleFireEvent } from '../adapters/eventbridge-scheduler';
import type { FireOutcome } from '../domain/agents/schedule-service';
import type { ScheduledFire } from '../ports/scheduler';
import { logger } from './lambda-logger';
import { onceSuccessful } from './once-successful';

export type ScheduleFireResult = FireOutcome | { status: 'rejected'; reason: string };

/**
 * EventBridge Scheduler → this Lambda: the schedule's input (id and scheduled time) goes to
 * `plane.schedules.fire`, the same function the in-process scheduler calls. A malformed event is
 * refused without a retry (it can never become valid); a failure to start throws, so the
 * schedule's retry policy delivers it again (the fire claims each due time once).
 */
export function createScheduleFireHandler(fire: () => Promise<(due: ScheduledFire) => Promise<FireOutcome>>) {
  const resolve = onceSuccessful(fire);
  return middy<unknown, ScheduleFireResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const parsed = ScheduleFireEvent.safeParse(event);
      if (!parsed.success) {
        const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ');
        logger.error('schedule fire event refused', { reason });
        return { status: 'rejected', reason };
      }
      const { scheduleId, scheduledFor } = parsed.data;
      const outcome = await (await resolve())({ scheduleId, scheduledFor: new Date(scheduledFor).toISOString() });
      if (outcome.status === 'started') logger.info('schedule fired', { scheduleId, scheduledFor, runId: outcome.runId });
      else logger.warn('schedule fire skipped', { scheduleId, scheduledFor, reason: outcome.reason });
      return outcome;
    });
}
