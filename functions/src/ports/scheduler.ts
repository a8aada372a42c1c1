/**
 * The scheduler port: fires app-agent schedule triggers. Adapters: `adapters/in-process-scheduler.ts`
 * (local; timers over the Clock port, with `fireDue` for tests) and EventBridge Scheduler (AWS).
 * The control plane owns the list of schedules (in its store) and tells the adapter what to fire.
 */
export interface ScheduleSpec {
  /** Stable per (app, agent, trigger index), so re-publishing replaces rather than duplicates. */
  id: string;
  workspaceId: string;
  appId: string;
  agentId: string;
  expression: { cron: string; timezone: string } | { rate: string };
  input: Record<string, unknown>;
  /** When the schedule was created (or its expression last changed): rates count from here. */
  createdAt: string;
  /**
   * When it last fired, for adapters that keep time themselves (in process): the next fire is
   * the first after this (or after `createdAt`), so a fire missed while the host was down
   * happens once when it is back. Adapters backed by a service that keeps time ignore it.
   */
  lastFiredAt?: string | null;
}

export interface ScheduledFire {
  scheduleId: string;
  /** The time the fire was due (not when it ran). */
  scheduledFor: string;
}

export interface Scheduler {
  readonly kind: string;
  /** Creates or replaces a schedule (idempotent: putting the same spec twice leaves one schedule). */
  put(spec: ScheduleSpec): Promise<void>;
  /** Removes a schedule; removing one that does not exist is not an error. */
  remove(scheduleId: string): Promise<void>;
  /** The next time a schedule fires, when the adapter knows it. */
  nextFireAt(scheduleId: string): Promise<string | null>;
}
