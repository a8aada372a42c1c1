import { activeRunStatuses, isActiveRunStatus, terminalRunStatuses, type RunEventBody, type RunStatus, type Usage } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore, Update } from '../ports/document-store';
import type { RunEventLog } from '../ports/run-event-log';
import { ConflictError, NotFoundError } from './errors';
import { builderCollections, type AppRecord, type RunRecord } from './records';

export const zeroUsage: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/** A new run record in `queued`, the one shape every kind of run starts from (builder and app-agent runs). */
export function queuedRun(
  fields: Pick<RunRecord, '_id' | 'workspaceId' | 'appId' | 'prompt' | 'createdBy' | 'retryOf'> & Pick<RunRecord, 'kind' | 'agent'>,
  now: string,
): RunRecord {
  return {
    ...fields,
    status: 'queued',
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    heartbeatAt: now,
    failureReason: null,
    provider: null,
    model: null,
    plan: null,
    usage: zeroUsage,
    versionId: null,
    workerId: null,
    workerEventSequence: 0,
  };
}

/**
 * The run state machine. Every status change is one named transition with the states it may
 * start from:
 *
 *              start              proposePlan
 *   queued ────────────▶ running ──────────────▶ awaiting_approval
 *                         │   ▲      decidePlan          │
 *                         │   └──────────────────────────┘
 *                         └── succeed ──▶ succeeded
 *
 *   (app agents) running ── requestCallApproval ──▶ awaiting_approval ── decideCall ──▶ running
 *
 *   fail:  queued | running | awaiting_approval ──▶ failed
 *   stop:  queued | running | awaiting_approval ──▶ stopped
 *
 * `fail` and `stop` apply to every active state; terminal states have no way out (retry makes
 * a new run).
 */
export const runTransitions = {
  start: { from: ['queued'], to: 'running' },
  proposePlan: { from: ['running'], to: 'awaiting_approval' },
  decidePlan: { from: ['awaiting_approval'], to: 'running' },
  /** App agents: a call that needs a person's approval pauses the run, the decision resumes it. */
  requestCallApproval: { from: ['running'], to: 'awaiting_approval' },
  decideCall: { from: ['awaiting_approval'], to: 'running' },
  succeed: { from: ['running'], to: 'succeeded' },
  fail: { from: activeRunStatuses, to: 'failed' },
  stop: { from: activeRunStatuses, to: 'stopped' },
} as const satisfies Record<string, { from: readonly RunStatus[]; to: RunStatus }>;
export type RunTransition = keyof typeof runTransitions;

/** Whether `transition` may start from `status`. */
export const canTransition = (status: RunStatus, transition: RunTransition): boolean =>
  (runTransitions[transition].from as readonly RunStatus[]).includes(status);

/** Active: queued, running or awaiting approval (one definition, from protocol/). */
export const isActive = isActiveRunStatus;

const describeStatus = (status: RunStatus) => status.replace('_', ' ');
const verbs: Record<RunTransition, string> = {
  start: 'be started',
  proposePlan: 'propose a plan',
  decidePlan: 'take a plan decision',
  requestCallApproval: 'wait for a call approval',
  decideCall: 'take a call decision',
  succeed: 'succeed',
  fail: 'fail',
  stop: 'be stopped',
};

/** A transition asked of a run whose status does not allow it: 409 with the status and the allowed ones. */
export class RunTransitionConflictError extends ConflictError {
  constructor(
    readonly runStatus: RunStatus,
    readonly transition: RunTransition,
    message = transition === 'decidePlan'
      ? `The run is ${describeStatus(runStatus)}, not awaiting approval: there is no plan to decide on.`
      : `The run is ${describeStatus(runStatus)}; it cannot ${verbs[transition]}.`,
  ) {
    super(message);
  }
  override get details(): unknown {
    return { status: this.runStatus, transition: this.transition, allowedFrom: runTransitions[this.transition].from };
  }
}

/**
 * The one place run status changes: it checks the transition against the table, updates the run
 * conditionally on the status it checked (so two concurrent transitions cannot both win), updates
 * its app's summary, and appends the matching event to the run event log.
 */
export class RunLifecycle {
  constructor(
    private readonly store: DocumentStore,
    private readonly events: RunEventLog,
    private readonly clock: Clock,
  ) {}

  runs() {
    return this.store.collection<RunRecord>(builderCollections.runs);
  }
  apps() {
    return this.store.collection<AppRecord>(builderCollections.apps);
  }

  async get(runId: string): Promise<RunRecord> {
    const run = await this.runs().findOne({ _id: runId });
    if (!run) throw new NotFoundError('Run not found.');
    return run;
  }

  /** Throws the typed 409 unless `transition` may start from the run's status. */
  assertCan(run: RunRecord, transition: RunTransition): void {
    if (!canTransition(run.status, transition)) throw new RunTransitionConflictError(run.status, transition);
  }

  /** Applies a named transition; `extra` fields are set in the same update. Returns the new run. */
  async transition(runId: string, transition: RunTransition, extra: Update['$set'] = {}, event?: RunEventBody): Promise<RunRecord> {
    const run = await this.get(runId);
    this.assertCan(run, transition);
    const to = runTransitions[transition].to;
    const now = this.clock.now().toISOString();
    const terminal = terminalRunStatuses.includes(to);
    // Conditional on the status we checked: a concurrent transition makes this a no-op (null).
    const updated = await this.runs().updateOne(
      { _id: runId, status: run.status },
      {
        $set: {
          status: to,
          ...(terminal ? { finishedAt: now } : {}),
          ...(to === 'running' && !run.startedAt ? { startedAt: now } : {}),
          ...extra,
        },
      },
    );
    if (!updated) {
      const current = await this.get(runId);
      throw new RunTransitionConflictError(
        current.status,
        transition,
        `The run changed meanwhile (it is ${describeStatus(current.status)}); reload it.`,
      );
    }
    await this.apps().updateOne(
      { _id: run.appId, latestRunId: runId },
      { $set: { latestRunStatus: to, updatedAt: now, ...(updated.versionId ? { latestVersionId: updated.versionId } : {}) } },
    );
    if (event) await this.events.append(runId, event);
    return updated;
  }

  /**
   * Claims an app for a new run, atomically: succeeds only if the app has no active run, so two
   * concurrent messages to one app cannot both start one. A summary left active by a run that in
   * fact ended (a crash between the two updates of `transition`) is repaired, then claimed.
   */
  async claimApp(appId: string, runId: string, now: string): Promise<boolean> {
    const free = { $or: [{ latestRunStatus: null }, { latestRunStatus: { $in: [...terminalRunStatuses] } }] };
    const claim = { $set: { latestRunId: runId, latestRunStatus: 'queued', updatedAt: now } };
    if (await this.apps().updateOne({ _id: appId, ...free }, claim)) return true;
    const app = await this.apps().findOne({ _id: appId });
    if (!app?.latestRunId || !app.latestRunStatus) return false;
    const latest = await this.runs().findOne({ _id: app.latestRunId });
    if (!latest || isActive(latest.status)) return false;
    const repaired = { _id: appId, latestRunId: app.latestRunId, latestRunStatus: app.latestRunStatus };
    return (await this.apps().updateOne(repaired, claim)) !== null;
  }

  /** Gives an app back after a claimed run could not be created. */
  async releaseApp(appId: string, runId: string, previous: Pick<AppRecord, 'latestRunId' | 'latestRunStatus'>): Promise<void> {
    await this.apps().updateOne({ _id: appId, latestRunId: runId }, { $set: previous });
  }
}
