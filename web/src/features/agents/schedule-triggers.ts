import type { AgentSchedule } from '@hangar/protocol';

/** A schedule trigger as the configuration declares it. */
export type DeclaredSchedule = {
  agentId: string;
  agentName: string;
  triggerIndex: number;
  /** `0 9 * * 1-5 (Europe/London)` or `rate(5 minutes)`. */
  expression: string;
};

/** Every schedule trigger in an agents.json, in document order (tolerates documents that do not validate). */
export function declaredSchedules(document: unknown): DeclaredSchedule[] {
  const agents = typeof document === 'object' && document !== null ? (document as { agents?: unknown }).agents : undefined;
  if (!Array.isArray(agents)) return [];
  const schedules: DeclaredSchedule[] = [];
  for (const agent of agents) {
    if (typeof agent !== 'object' || agent === null) continue;
    const { id, name, triggers } = agent as { id?: unknown; name?: unknown; triggers?: unknown };
    if (typeof id !== 'string' || !Array.isArray(triggers)) continue;
    triggers.forEach((trigger: unknown, triggerIndex) => {
      if (typeof trigger !== 'object' || trigger === null) return;
      const { type, cron, rate, timezone } = trigger as Record<string, unknown>;
      if (type !== 'schedule') return;
      const expression =
        typeof cron === 'string'
          ? `${cron} (${typeof timezone === 'string' ? timezone : 'UTC'})`
          : typeof rate === 'string'
            ? rate
            : '(no cron or rate)';
      schedules.push({ agentId: id, agentName: typeof name === 'string' && name ? name : id, triggerIndex, expression });
    });
  }
  return schedules;
}

/** The published schedule of a declared trigger, if the control plane has one. */
export function publishedScheduleOf(entries: readonly AgentSchedule[], declared: DeclaredSchedule): AgentSchedule | null {
  return entries.find((entry) => entry.agentId === declared.agentId && entry.triggerIndex === declared.triggerIndex) ?? null;
}
