import { nextFireTime } from '../domain/agents/schedule-time';
import type { Clock } from '../ports/clock';
import type { ScheduledFire, ScheduleSpec, Scheduler } from '../ports/scheduler';

export interface InProcessScheduler extends Scheduler {
  /** Fires every schedule that is due at the clock's current time (tests advance the clock and call this). */
  fireDue(): Promise<ScheduledFire[]>;
  /** Starts checking once per `intervalMs` (the local host); tests leave it stopped. */
  start(intervalMs?: number): void;
  stop(): void;
}

/**
 * Schedules in process, over the Clock port. A fire missed while the host was down is fired
 * once when it comes back (not once per missed period), which is what a person expects of a
 * daily job.
 */
export function createInProcessScheduler(options: {
  clock: Clock;
  onFire: (spec: ScheduleSpec, fire: ScheduledFire) => Promise<void>;
  log?: (message: string) => void;
}): InProcessScheduler {
  const schedules = new Map<string, { spec: ScheduleSpec; next: Date | null }>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let firing: Promise<ScheduledFire[]> | null = null;

  const computeNext = (spec: ScheduleSpec, after: Date) =>
    nextFireTime('rate' in spec.expression ? { rate: spec.expression.rate, anchor: new Date(spec.createdAt) } : spec.expression, after);

  const fireDueOnce = async (): Promise<ScheduledFire[]> => {
    const now = options.clock.now();
    const fired: ScheduledFire[] = [];
    for (const [id, entry] of schedules) {
      if (!entry.next || entry.next > now) continue;
      const fire = { scheduleId: id, scheduledFor: entry.next.toISOString() };
      entry.next = computeNext(entry.spec, now);
      try {
        await options.onFire(entry.spec, fire);
        fired.push(fire);
      } catch (error) {
        options.log?.(`schedule ${id} failed to fire: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return fired;
  };

  return {
    kind: 'in-process',
    put(spec) {
      // The first fire after the last one (or after creation): a fire missed while the host was down happens once now.
      const from = [spec.createdAt, spec.lastFiredAt].filter((time): time is string => Boolean(time)).sort().at(-1);
      schedules.set(spec.id, { spec, next: computeNext(spec, from ? new Date(from) : options.clock.now()) });
      return Promise.resolve();
    },
    remove(scheduleId) {
      schedules.delete(scheduleId);
      return Promise.resolve();
    },
    nextFireAt(scheduleId) {
      return Promise.resolve(schedules.get(scheduleId)?.next?.toISOString() ?? null);
    },
    fireDue() {
      // One pass at a time: a slow fire never overlaps the next check.
      firing ??= fireDueOnce().finally(() => {
        firing = null;
      });
      return firing;
    },
    start(intervalMs = 15_000) {
      timer ??= setInterval(() => void this.fireDue(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
