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
  /** When the schedule was created: rates count from here. */
  createdAt: string;
}

export interface ScheduledFire {
  scheduleId: string;
  /** The time the fire was due (not when it ran). */
  scheduledFor: string;
}

export interface Scheduler {
  readonly kind: string;
  /** Creates or replaces a schedule. */
  put(spec: ScheduleSpec): Promise<void>;
  remove(scheduleId: string): Promise<void>;
  /** The next time a schedule fires, when the adapter knows it. */
  nextFireAt(scheduleId: string): Promise<string | null>;
}
