import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ScheduleExpression } from '@hangar/protocol';
import { z } from 'zod';
import { nextFireTime, parseCron } from '../domain/agents/schedule-time';
import type { Clock } from '../ports/clock';
import type { Scheduler } from '../ports/scheduler';

/** The schedule group the stack creates (infra/src/constructs/schedules.ts). */
export const appAgentScheduleGroup = 'hangar-app-agents';

/** The second schedule of a cron that restricts both day fields (EventBridge allows only one). */
const weekdaySuffix = '.dow';

const weekdayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Sorted values as EventBridge list/range syntax (`1-5`, `0,15,30`), or `*` when they cover the field. */
function compress(values: Set<number>, min: number, max: number, name: (value: number) => string = String): string {
  const sorted = [...values].filter((value) => value >= min && value <= max).sort((a, b) => a - b);
  if (sorted.length === max - min + 1) return '*';
  const parts: string[] = [];
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end += 1;
    const first = sorted[start] ?? 0;
    const last = sorted[end] ?? 0;
    if (end - start >= 2) parts.push(`${name(first)}-${name(last)}`);
    else for (let index = start; index <= end; index += 1) parts.push(name(sorted[index] ?? 0));
    start = end + 1;
  }
  return parts.join(',');
}

/**
 * A five-field cron as EventBridge Scheduler's six-field `cron(…)`: explicit lists and ranges
 * (EventBridge has no steps on weekdays, counts weekdays 1–7 from Sunday, and wants `?` in one
 * of the day fields). Classic cron fires when either day field matches if both are restricted;
 * EventBridge cannot say that in one expression, so that case becomes two schedules.
 */
export function eventBridgeCronExpressions(cron: string): string[] {
  const fields = parseCron(cron);
  const minutes = compress(fields.minutes, 0, 59);
  const hours = compress(fields.hours, 0, 23);
  const months = compress(fields.months, 1, 12);
  const days = compress(fields.days, 1, 31);
  const weekdays = compress(fields.weekdays, 0, 6, (value) => weekdayNames[value] ?? 'SUN');
  const byDay = fields.dayRestricted && days !== '*';
  const byWeekday = fields.weekdayRestricted && weekdays !== '*';
  const expression = (day: string, weekday: string) => `cron(${minutes} ${hours} ${day} ${months} ${weekday} *)`;
  // Both restricted, one of them to every day: classic cron fires every day.
  if (fields.dayRestricted && fields.weekdayRestricted && (!byDay || !byWeekday)) return [expression('*', '?')];
  if (byDay && byWeekday) return [expression(days, '?'), expression('?', weekdays)];
  if (byWeekday) return [expression('?', weekdays)];
  return [expression(byDay ? days : '*', '?')];
}

/** What the fire Lambda receives: the schedule and the due time (filled in by EventBridge), plus what nextFireAt needs. */
type TargetInput = z.infer<typeof ScheduleFireEvent>;

const isNotFound = (error: unknown) =>
  error instanceof ResourceNotFoundException || (error instanceof Error && error.name === 'ResourceNotFoundException');
const isConflict = (error: unknown) => error instanceof ConflictException || (error instanceof Error && error.name === 'ConflictException');

/**
 * The scheduler port on EventBridge Scheduler: one schedule per app-agent trigger in the
 * `hangar-app-agents` group, targeting the fire Lambda with the schedule id and the scheduled
 * time; no flexible window (fires on the minute). `put` creates, and on a conflict updates, so
 * it is idempotent; `remove` tolerates a schedule that is already gone. EventBridge keeps the
 * time, so `nextFireAt` reads the schedule back and computes the next time with the same
 * schedule-time rules as the in-process adapter.
 */
export function createEventBridgeScheduler(options: {
  client: SchedulerClient;
  /** The fire Lambda; null in a process that only fires and removes (the fire Lambda itself). */
  targetArn: string | null;
  /** The role schedules assume to invoke the target. */
  roleArn: string;
  groupName?: string;
  clock: Clock;
}): Scheduler {
  const group = options.groupName ?? appAgentScheduleGroup;

  const deleteTolerant = async (name: string) => {
    try {
      await options.client.send(new DeleteScheduleCommand({ Name: name, GroupName: group }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  };

  const upsert = async (input: CreateScheduleCommandInput) => {
    try {
      await options.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!isConflict(error)) throw error;
      await options.client.send(new UpdateScheduleCommand(input));
    }
  };

  return {
    kind: 'eventbridge',
    async put(spec) {
      if (!options.targetArn) throw new Error('This process cannot create schedules: the schedule fire function is not configured.');
      const input: TargetInput = {
        scheduleId: spec.id,
        scheduledFor: '<aws.scheduler.scheduled-time>',
        expression: spec.expression,
        createdAt: spec.createdAt,
      };
      const common = {
        GroupName: group,
        Description: `Hangar app ${spec.appId}, agent ${spec.agentId}`,
        FlexibleTimeWindow: { Mode: 'OFF' as const },
        State: 'ENABLED' as const,
        Target: {
          Arn: options.targetArn,
          RoleArn: options.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      };
      if ('rate' in spec.expression) {
        await upsert({ ...common, Name: spec.id, ScheduleExpression: spec.expression.rate });
        await deleteTolerant(`${spec.id}${weekdaySuffix}`);
        return;
      }
      const [primary, byWeekday] = eventBridgeCronExpressions(spec.expression.cron);
      const timezone = spec.expression.timezone;
      await upsert({ ...common, Name: spec.id, ScheduleExpression: primary, ScheduleExpressionTimezone: timezone });
      if (byWeekday)
        await upsert({
          ...common,
          Name: `${spec.id}${weekdaySuffix}`,
          ScheduleExpression: byWeekday,
          ScheduleExpressionTimezone: timezone,
        });
      else await deleteTolerant(`${spec.id}${weekdaySuffix}`);
    },
    async remove(scheduleId) {
      await deleteTolerant(scheduleId);
      await deleteTolerant(`${scheduleId}${weekdaySuffix}`);
    },
    async nextFireAt(scheduleId) {
      let stored: TargetInput;
      try {
        const schedule = await options.client.send(new GetScheduleCommand({ Name: scheduleId, GroupName: group }));
        stored = JSON.parse(schedule.Target?.Input ?? 'null') as TargetInput;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      if (!stored?.expression) return null;
      const expression =
        'rate' in stored.expression ? { rate: stored.expression.rate, anchor: new Date(stored.createdAt) } : stored.expression;
      return nextFireTime(expression, options.clock.now())?.toISOString() ?? null;
    },
  };
}

/**
 * The event a schedule sends the fire Lambda: its `Input`, with the scheduled time filled in by
 * EventBridge. Validated strictly; the id is a schedule name, the time an ISO timestamp.
 */
export const ScheduleFireEvent = z.strictObject({
  scheduleId: z.string().regex(/^[0-9A-Za-z_.-]{1,64}$/),
  scheduledFor: z.iso.datetime({ offset: true }),
  expression: ScheduleExpression,
  createdAt: z.string().max(40),
});
