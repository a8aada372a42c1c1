import { terminalRunStatuses, type RunEventBody, type RunStatus, type Usage } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore, Update } from '../ports/document-store';
import type { RunEventLog } from '../ports/run-event-log';
import { ConflictError, NotFoundError } from './errors';
import { builderCollections, type AppRecord, type RunRecord } from './records';

export const zeroUsage: Usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

/** Which status changes are allowed (see the diagram in protocol/src/run.ts). */
const transitions: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'failed', 'stopped'],
  running: ['awaiting_approval', 'succeeded', 'failed', 'stopped'],
  awaiting_approval: ['running', 'failed', 'stopped'],
  succeeded: [],
  failed: [],
  stopped: [],
};

export const isActive = (status: RunStatus) => !terminalRunStatuses.includes(status);

/**
 * The one place run status changes: it checks the transition, updates the run and its app's
 * summary, and appends the matching event to the run event log.
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

  /** Moves a run to `to` if allowed; `extra` fields are set in the same update. Returns the new run. */
  async transition(runId: string, to: RunStatus, extra: Update['$set'] = {}, event?: RunEventBody): Promise<RunRecord> {
    const run = await this.get(runId);
    if (!transitions[run.status].includes(to)) {
      throw new ConflictError(`The run is ${run.status.replace('_', ' ')}; it cannot become ${to.replace('_', ' ')}.`);
    }
    const now = this.clock.now().toISOString();
    const terminal = terminalRunStatuses.includes(to);
    // Conditional on the status we read: a concurrent transition makes this a no-op (null).
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
    if (!updated) throw new ConflictError('The run changed meanwhile; reload it.');
    await this.apps().updateOne(
      { _id: run.appId, latestRunId: runId },
      { $set: { latestRunStatus: to, updatedAt: now, ...(updated.versionId ? { latestVersionId: updated.versionId } : {}) } },
    );
    if (event) await this.events.append(runId, event);
    return updated;
  }
}
