import { canonicalJson, type AgentSchedule, type AgentsDocument, type AgentTrigger } from '@hangar/protocol';
import type { AuditActor, AuditSource } from '@hangar/protocol';
import type { Clock } from '../../ports/clock';
import type { DocumentStore, StoredDocument } from '../../ports/document-store';
import type { ScheduledFire, ScheduleSpec, Scheduler } from '../../ports/scheduler';
import type { AuditLog } from '../audit-log';
import type { BuilderService } from '../builder-service';
import { HangarError } from '../errors';
import { builderCollections, type AppRecord } from '../records';
import { auditActorOf, type Actor } from '../workspace-access';
import type { AgentConfigService } from './agent-config-service';
import type { AgentRunService } from './agent-run-service';
import { nextFireTime } from './schedule-time';

/** The schedules of published app agents: the control plane's list, which the scheduler adapter mirrors. */
export const schedulesCollection = 'app_schedules';

export interface ScheduleRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  agentId: string;
  triggerIndex: number;
  expression: ScheduleSpec['expression'];
  input: Record<string, unknown>;
  /** When this expression was put (rates count from here). */
  createdAt: string;
  lastFiredAt: string | null;
  /** The due time of the last fire claimed: a fire delivered twice (EventBridge is at least once) runs once. */
  lastScheduledFor: string | null;
  lastRunId: string | null;
}

/** Why schedules go away. */
export type ScheduleRemoval = 'trigger_removed' | 'unpublished' | 'app_deleted' | 'stale';

/** What one fire did. */
export type FireOutcome =
  | { status: 'started'; runId: string }
  | { status: 'skipped'; reason: 'unknown_schedule' | 'duplicate' | 'not_published' | 'trigger_gone' | 'refused'; message?: string };

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The stable id of one schedule trigger: the same app, agent and trigger position always give the
 * same id (so re-publishing replaces rather than duplicates), and it fits an EventBridge schedule
 * name (64 characters of letters, digits, `_`, `-`, `.`).
 */
export async function scheduleIdOf(appId: string, agentId: string, triggerIndex: number): Promise<string> {
  return `sch_${(await sha256Hex(`${appId}\n${agentId}\n${triggerIndex}`)).slice(0, 32)}`;
}

/** A schedule trigger's expression as the scheduler port takes it; null for a manual trigger. */
function expressionOf(trigger: AgentTrigger | undefined): ScheduleSpec['expression'] | null {
  if (trigger?.type !== 'schedule') return null;
  return trigger.cron !== undefined ? { cron: trigger.cron, timezone: trigger.timezone } : { rate: trigger.rate ?? '' };
}

/** The schedule triggers a configuration declares, in order. */
function declaredSchedules(document: AgentsDocument | null) {
  const declared: { agentId: string; triggerIndex: number; expression: ScheduleSpec['expression']; input: Record<string, unknown> }[] = [];
  for (const agent of document?.agents ?? []) {
    agent.triggers.forEach((trigger, triggerIndex) => {
      const expression = expressionOf(trigger);
      if (expression && trigger.type === 'schedule')
        declared.push({ agentId: agent.id, triggerIndex, expression, input: trigger.input ?? {} });
    });
  }
  return declared;
}

const systemActor: { actor: AuditActor; source: AuditSource } = { actor: { type: 'system', id: 'schedules' }, source: 'system' };

/**
 * Schedules follow publishing: publishing syncs them from the approved agents.json that was
 * published (new and changed ones put, gone ones removed), unpublishing and deleting the app
 * remove them. A fire is checked against what is published *now*: an app unpublished or an
 * agent or trigger gone since means the fire is skipped (and the stale schedule removed), not run.
 */
export class ScheduleService {
  constructor(
    private readonly deps: {
      store: DocumentStore;
      scheduler: Scheduler;
      audit: AuditLog;
      builder: BuilderService;
      config: AgentConfigService;
      runs: AgentRunService;
      clock: Clock;
      log: (message: string) => void;
    },
  ) {}

  private get records() {
    return this.deps.store.collection<ScheduleRecord>(schedulesCollection);
  }

  async ensureIndexes(): Promise<void> {
    await this.records.createIndex({ keys: { workspaceId: 1, appId: 1 } });
  }

  private specOf(record: ScheduleRecord): ScheduleSpec {
    return {
      id: record._id,
      workspaceId: record.workspaceId,
      appId: record.appId,
      agentId: record.agentId,
      expression: record.expression,
      input: record.input,
      createdAt: record.createdAt,
      lastFiredAt: record.lastFiredAt,
    };
  }

  private async recordsOf(workspaceId: string, appId: string): Promise<ScheduleRecord[]> {
    const page = await this.records.find({ workspaceId, appId }, { sort: { agentId: 1, triggerIndex: 1 }, limit: 1000 });
    return page.items;
  }

  private who(actor: Actor | null) {
    return actor ? { actor: auditActorOf(actor), source: actor.source } : systemActor;
  }

  /** Makes the app's schedules those of `document` (the published configuration; null: none). */
  async sync(actor: Actor | null, workspaceId: string, appId: string, document: AgentsDocument | null): Promise<void> {
    const existing = new Map((await this.recordsOf(workspaceId, appId)).map((record) => [record._id, record]));
    const now = this.deps.clock.now().toISOString();
    const wanted = new Set<string>();
    for (const declared of declaredSchedules(document)) {
      const id = await scheduleIdOf(appId, declared.agentId, declared.triggerIndex);
      wanted.add(id);
      const current = existing.get(id);
      const same =
        current &&
        canonicalJson(current.expression) === canonicalJson(declared.expression) &&
        canonicalJson(current.input) === canonicalJson(declared.input);
      if (same) continue;
      const record: ScheduleRecord = {
        _id: id,
        workspaceId,
        appId,
        agentId: declared.agentId,
        triggerIndex: declared.triggerIndex,
        expression: declared.expression,
        input: declared.input,
        createdAt: now,
        lastFiredAt: current?.lastFiredAt ?? null,
        lastScheduledFor: current?.lastScheduledFor ?? null,
        lastRunId: current?.lastRunId ?? null,
      };
      await this.deps.scheduler.put(this.specOf(record));
      if (current)
        await this.records.updateOne({ _id: id }, { $set: { expression: record.expression, input: record.input, createdAt: now } });
      else await this.records.insertOne(record);
      await this.deps.audit.record({
        workspaceId,
        ...this.who(actor),
        action: 'agent.schedule_created',
        target: { type: 'app', id: appId },
        metadata: {
          scheduleId: id,
          agentId: declared.agentId,
          triggerIndex: declared.triggerIndex,
          expression: declared.expression,
          scheduler: this.deps.scheduler.kind,
          ...(current ? { replaced: current.expression } : {}),
        },
      });
    }
    for (const record of existing.values()) if (!wanted.has(record._id)) await this.removeOne(actor, record, 'trigger_removed');
  }

  /** Unpublishing and deleting the app remove every schedule it has. */
  async removeAll(actor: Actor | null, workspaceId: string, appId: string, reason: ScheduleRemoval): Promise<number> {
    const records = await this.recordsOf(workspaceId, appId);
    for (const record of records) await this.removeOne(actor, record, reason);
    return records.length;
  }

  private async removeOne(actor: Actor | null, record: ScheduleRecord, reason: ScheduleRemoval): Promise<void> {
    await this.deps.scheduler.remove(record._id);
    await this.records.deleteOne({ _id: record._id });
    await this.deps.audit.record({
      workspaceId: record.workspaceId,
      ...this.who(actor),
      action: 'agent.schedule_removed',
      target: { type: 'app', id: record.appId },
      metadata: { scheduleId: record._id, agentId: record.agentId, triggerIndex: record.triggerIndex, reason },
    });
  }

  /** `GET …/agents/schedules`: whoever may read the app's agents configuration sees its schedules. */
  async list(actor: Actor, workspaceId: string, appId: string): Promise<AgentSchedule[]> {
    await this.deps.builder.app(actor, workspaceId, appId);
    const now = this.deps.clock.now();
    const items: AgentSchedule[] = [];
    for (const record of await this.recordsOf(workspaceId, appId)) {
      const known = await this.deps.scheduler.nextFireAt(record._id);
      const expression =
        'rate' in record.expression ? { rate: record.expression.rate, anchor: new Date(record.createdAt) } : record.expression;
      items.push({
        id: record._id,
        agentId: record.agentId,
        triggerIndex: record.triggerIndex,
        expression: record.expression,
        nextFireAt: known ?? nextFireTime(expression, now)?.toISOString() ?? null,
        lastFiredAt: record.lastFiredAt,
        lastRunId: record.lastRunId,
      });
    }
    return items;
  }

  /** Puts every stored schedule into an adapter that keeps no state of its own (the in-process one, at start). */
  async restore(): Promise<number> {
    let restored = 0;
    let cursor: string | null = null;
    do {
      const page = await this.records.find({}, { limit: 200, ...(cursor ? { cursor } : {}) });
      for (const record of page.items) await this.deps.scheduler.put(this.specOf(record));
      restored += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return restored;
  }

  private async skip(
    record: ScheduleRecord,
    fire: ScheduledFire,
    reason: Extract<FireOutcome, { status: 'skipped' }>['reason'],
    message: string,
  ) {
    await this.deps.audit.record({
      workspaceId: record.workspaceId,
      ...systemActor,
      action: 'agent.schedule_skipped',
      target: { type: 'app', id: record.appId },
      outcome: 'denied',
      metadata: { scheduleId: record._id, agentId: record.agentId, scheduledFor: fire.scheduledFor, reason, message },
    });
    return { status: 'skipped' as const, reason, message };
  }

  /**
   * The one function every scheduler adapter's fire calls (the in-process timer, the EventBridge
   * target Lambda): it finds the schedule, claims this due time once, checks the app is still
   * published with this agent and trigger, and starts the run as a scheduled run.
   */
  async fire(fire: ScheduledFire): Promise<FireOutcome> {
    const record = await this.records.findOne({ _id: fire.scheduleId });
    if (!record) {
      // A schedule the control plane no longer knows (removed while its adapter was unreachable): remove it now.
      this.deps.log(`schedule ${fire.scheduleId} fired but is not known; removing it`);
      await this.deps.scheduler.remove(fire.scheduleId);
      return { status: 'skipped', reason: 'unknown_schedule' };
    }
    const claimed = await this.records.updateOne(
      { _id: record._id, lastScheduledFor: { $ne: fire.scheduledFor } },
      { $set: { lastScheduledFor: fire.scheduledFor } },
    );
    if (!claimed) return { status: 'skipped', reason: 'duplicate' };

    const app = await this.deps.store
      .collection<AppRecord>(builderCollections.apps)
      .findOne({ _id: record.appId, workspaceId: record.workspaceId });
    if (!app?.publishedVersionId || !app.publishedAgentsHash) {
      const outcome = await this.skip(record, fire, 'not_published', 'The app is not published (or publishes no agents).');
      await this.removeOne(null, record, 'stale');
      return outcome;
    }
    const document = await this.deps.config.approvedDocument(record.workspaceId, record.appId, app.publishedAgentsHash);
    const expression = expressionOf(document?.agents.find((agent) => agent.id === record.agentId)?.triggers[record.triggerIndex]);
    if (!expression || canonicalJson(expression) !== canonicalJson(record.expression)) {
      const outcome = await this.skip(record, fire, 'trigger_gone', 'The published configuration no longer has this schedule.');
      await this.removeOne(null, record, 'stale');
      return outcome;
    }

    const firedAt = this.deps.clock.now().toISOString();
    try {
      const run = await this.deps.runs.startScheduled(this.specOf(record), fire);
      await this.records.updateOne({ _id: record._id }, { $set: { lastFiredAt: firedAt, lastRunId: run.id } });
      return { status: 'started', runId: run.id };
    } catch (error) {
      if (!(error instanceof HangarError)) {
        // Not a refusal (the store or the run log failed): give the due time back so the adapter's retry runs it.
        await this.records.updateOne({ _id: record._id }, { $set: { lastScheduledFor: record.lastScheduledFor } });
        throw error;
      }
      // A limit (audited by the run service) or a refusal: this fire is spent, the schedule stays.
      await this.records.updateOne({ _id: record._id }, { $set: { lastFiredAt: firedAt } });
      return this.skip(record, fire, 'refused', error.message);
    }
  }
}
