import {
  activeRunStatuses,
  isActiveRunStatus,
  snapshotLimits,
  type PlanCard,
  type RunEventBody,
  type RunOutcome,
  type VersionFile,
} from '@hangar/protocol';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import { DuplicateKeyError, type DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { RunEventLog, StoredRunEvent } from '../ports/run-event-log';
import { BadRequestError, ConflictError, NotFoundError } from './errors';
import { builderCollections, type AppRecord, type RunRecord, type VersionRecord } from './records';
import type { RunLifecycle } from './run-lifecycle';

export { snapshotLimits };

/** A worker's events are accepted while its run is running or awaiting approval (after `started`). */
const acceptsWorkerEvents = (status: RunRecord['status']) => status === 'running' || status === 'awaiting_approval';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A worker is declared lost when it has not sent a heartbeat for this long. */
export const heartbeatTimeoutMs = 20_000;

/** What a worker needs to know about its run. */
export interface RunContext {
  run: RunRecord;
  app: AppRecord;
  /** Earlier prompts of this app, oldest first, for the agent's context. */
  history: string[];
  latestVersion: VersionRecord | null;
}

/**
 * The worker-facing side of runs, called through the internal API with a run-scoped token:
 * start, heartbeat, plan, events, versions and the end of a run. Also the sweeper that fails
 * runs whose worker stopped sending heartbeats.
 */
export class RunWorkerService {
  private readonly versionListeners: ((version: VersionRecord) => Promise<void>)[] = [];

  constructor(
    private readonly store: DocumentStore,
    private readonly lifecycle: RunLifecycle,
    private readonly events: RunEventLog,
    private readonly blobs: BlobStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  private versions() {
    return this.store.collection<VersionRecord>(builderCollections.versions);
  }

  /** Called after each new version is recorded (governance marks reviews of older versions stale). */
  onVersionCreated(listener: (version: VersionRecord) => Promise<void>): void {
    this.versionListeners.push(listener);
  }

  async context(runId: string): Promise<RunContext> {
    const run = await this.lifecycle.get(runId);
    const app = await this.lifecycle.apps().findOne({ _id: run.appId });
    if (!app) throw new NotFoundError('App not found.');
    const earlier = await this.lifecycle.runs().find({ appId: run.appId, status: 'succeeded' }, { sort: { _id: 1 }, limit: 50 });
    const latestVersion = app.latestVersionId ? await this.versions().findOne({ _id: app.latestVersionId }) : null;
    return { run, app, history: earlier.items.filter((r) => r._id !== runId && r.kind !== 'agent').map((r) => r.prompt), latestVersion };
  }

  /** The worker is up. Idempotent for the same worker: a `started` resent after a lost answer is a no-op. */
  async started(runId: string, details: { workerId: string; provider: string; model: string }): Promise<void> {
    const run = await this.lifecycle.get(runId);
    if (run.workerId === details.workerId && acceptsWorkerEvents(run.status)) return;
    const now = this.clock.now().toISOString();
    await this.lifecycle.transition(
      runId,
      'start',
      { provider: details.provider, model: details.model, heartbeatAt: now, workerId: details.workerId },
      { type: 'run.started', ...details },
    );
  }

  /** Records a heartbeat; answers whether the worker should keep going (false once stopped). */
  async heartbeat(runId: string): Promise<{ continue: boolean; status: RunRecord['status'] }> {
    const run = await this.lifecycle.get(runId);
    if (isActiveRunStatus(run.status)) {
      await this.lifecycle.runs().updateOne({ _id: runId }, { $set: { heartbeatAt: this.clock.now().toISOString() } });
      return { continue: true, status: run.status };
    }
    return { continue: false, status: run.status };
  }

  /**
   * Appends a worker's events. With `first` (the worker's sequence number of the first event),
   * each number is stored once: the part of a batch already stored (a resend after a lost
   * answer, or a concurrent duplicate) is skipped. The range is claimed on the run record before
   * the events are appended, so two copies of one batch cannot both append it.
   */
  async appendEvents(runId: string, bodies: RunEventBody[], first?: number): Promise<{ stored: StoredRunEvent[]; received: number }> {
    for (let attempt = 0; ; attempt++) {
      const run = await this.lifecycle.get(runId);
      if (!acceptsWorkerEvents(run.status)) throw new ConflictError(`The run is ${run.status}; no more events are accepted.`);
      const received = run.workerEventSequence ?? 0;
      if (first === undefined) {
        const stored: StoredRunEvent[] = [];
        for (const body of bodies) stored.push(await this.events.append(runId, body));
        return { stored, received };
      }
      if (first > received) throw new ConflictError(`Events ${received} to ${first - 1} never arrived; send from ${received}.`);
      const fresh = bodies.slice(received - first);
      if (fresh.length === 0) return { stored: [], received };
      const claimed = await this.lifecycle
        .runs()
        .updateOne(
          { _id: runId, workerEventSequence: run.workerEventSequence === undefined ? { $exists: false } : received },
          { $set: { workerEventSequence: received + fresh.length } },
        );
      if (!claimed) {
        // Another copy of this batch claimed it meanwhile: look again (bounded).
        if (attempt < 3) continue;
        throw new ConflictError('Events for this run are being stored concurrently; send again.');
      }
      const stored: StoredRunEvent[] = [];
      try {
        for (const body of fresh) stored.push(await this.events.append(runId, body));
      } catch (error) {
        // Give back the part that was not stored, so the worker's resend fills exactly that gap.
        await this.lifecycle
          .runs()
          .updateOne(
            { _id: runId, workerEventSequence: received + fresh.length },
            { $set: { workerEventSequence: received + stored.length } },
          );
        throw error;
      }
      return { stored, received: received + fresh.length };
    }
  }

  /**
   * The run's events after `after`. With `waitMs`, when there are none yet, waits up to that long
   * for the first one (a worker waiting for a person's decision hears it at once, not at its next poll).
   */
  async readEvents(runId: string, after?: string, waitMs = 0): Promise<StoredRunEvent[]> {
    const read = () => this.events.read(runId, { ...(after ? { after } : {}), limit: 1000 });
    const now = await read();
    if (now.length > 0 || waitMs <= 0) return now;
    const subscription = this.events.subscribe(runId, after ? { after } : {});
    const timer = setTimeout(() => void subscription.close(), waitMs);
    try {
      await subscription[Symbol.asyncIterator]().next();
    } finally {
      clearTimeout(timer);
      await subscription.close();
    }
    return read();
  }

  /** The version a preview capability names, if it still exists. */
  async versionForPreview(workspaceId: string, appId: string, versionId: string): Promise<VersionRecord | null> {
    return this.versions().findOne({ _id: versionId, workspaceId, appId });
  }

  /** Moves the run to awaiting approval. The same plan sent again (a resend after a lost answer) is a no-op. */
  async proposePlan(runId: string, plan: PlanCard): Promise<void> {
    const run = await this.lifecycle.get(runId);
    if (acceptsWorkerEvents(run.status) && run.plan && sameJson(run.plan, plan)) return;
    await this.lifecycle.transition(runId, 'proposePlan', { plan }, { type: 'plan.proposed', plan });
  }

  async renameApp(runId: string, name: string): Promise<void> {
    const run = await this.lifecycle.get(runId);
    await this.lifecycle.apps().updateOne({ _id: run.appId }, { $set: { name, updatedAt: this.clock.now().toISOString() } });
  }

  /** Records a version from a manifest whose blobs the worker already stored. All or nothing. */
  async recordVersion(runId: string, files: VersionFile[]): Promise<VersionRecord> {
    const run = await this.lifecycle.get(runId);
    if (run.status !== 'running') throw new ConflictError(`The run is ${run.status}; it cannot record a version.`);
    // A manifest resent after a lost answer names the version it already made.
    const previous = run.versionId ? await this.versions().findOne({ _id: run.versionId }) : null;
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    if (previous && sameJson(previous.files, sorted)) return previous;
    return this.createVersion(run.workspaceId, run.appId, files, { runId, restoredFrom: null }, () => this.assertPlanDecided(run));
  }

  /** A new app's first version needs a plan a person decided on in this run (plans are enforced, not asked for). */
  private async assertPlanDecided(run: RunRecord): Promise<void> {
    const app = await this.lifecycle.apps().findOne({ _id: run.appId });
    if (!app || app.latestVersionId) return;
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const events = await this.events.read(run._id, { ...(after ? { after } : {}), limit: 1000 });
      if (events.some((stored) => stored.event.type === 'plan.decided')) return;
      if (events.length < 1000) break;
      after = events.at(-1)?.id;
    }
    throw new ConflictError("This is a new app's run and its plan was never accepted; it cannot record a version.");
  }

  async createVersion(
    workspaceId: string,
    appId: string,
    files: VersionFile[],
    origin: { runId: string | null; restoredFrom: string | null },
    /** Checked after the manifest is validated and before anything is written. */
    precondition?: () => Promise<void>,
  ): Promise<VersionRecord> {
    if (files.length === 0) throw new BadRequestError('A version needs at least one file.');
    if (files.length > snapshotLimits.maxFiles)
      throw new BadRequestError(`A version holds at most ${snapshotLimits.maxFiles} files (got ${files.length}).`);
    const paths = new Set<string>();
    let totalBytes = 0;
    for (const file of files) {
      if (paths.has(file.path)) throw new BadRequestError(`Duplicate path in manifest: ${file.path}`);
      paths.add(file.path);
      if (file.size > snapshotLimits.maxFileBytes)
        throw new BadRequestError(`${file.path} is ${file.size} bytes; the cap per file is ${snapshotLimits.maxFileBytes}.`);
      totalBytes += file.size;
      if (!(await this.blobs.has(file.sha256))) throw new BadRequestError(`Blob for ${file.path} was not uploaded.`);
    }
    if (totalBytes > snapshotLimits.maxTotalBytes)
      throw new BadRequestError(`The snapshot is ${totalBytes} bytes; the cap is ${snapshotLimits.maxTotalBytes}.`);
    await precondition?.();
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    const appName = (await this.lifecycle.apps().findOne({ _id: appId }))?.name;
    for (let attempt = 0; ; attempt++) {
      const latest = await this.versions().find({ workspaceId, appId }, { sort: { number: -1 }, limit: 1 });
      const number = (latest.items[0]?.number ?? 0) + 1;
      const version: VersionRecord = {
        _id: this.ids('ver'),
        workspaceId,
        appId,
        number,
        runId: origin.runId,
        createdAt: this.clock.now().toISOString(),
        files: sorted,
        fileCount: sorted.length,
        totalBytes,
        restoredFrom: origin.restoredFrom,
        ...(appName !== undefined ? { appName } : {}),
      };
      try {
        await this.versions().insertOne(version);
      } catch (error) {
        if (error instanceof DuplicateKeyError && attempt < 5) continue;
        throw error;
      }
      await this.lifecycle.apps().updateOne({ _id: appId }, { $set: { latestVersionId: version._id, updatedAt: version.createdAt } });
      if (origin.runId) {
        await this.lifecycle.runs().updateOne({ _id: origin.runId }, { $set: { versionId: version._id } });
        await this.events.append(origin.runId, { type: 'version.created', versionId: version._id, number, fileCount: version.fileCount });
      }
      for (const listener of this.versionListeners) await listener(version);
      return version;
    }
  }

  /**
   * The worker's outcome. Idempotent: an outcome the run already has is a no-op. `stopped` only
   * confirms a stop (recording the usage spent); a run that was stopped ignores any other outcome.
   */
  async finish(runId: string, outcome: RunOutcome): Promise<void> {
    const run = await this.lifecycle.get(runId);
    if (run.status === outcome.status) {
      if (outcome.status === 'stopped') await this.lifecycle.runs().updateOne({ _id: runId }, { $set: { usage: outcome.usage } });
      return;
    }
    if (run.status === 'stopped') return;
    if (outcome.status === 'stopped') throw new ConflictError(`The run is ${run.status}; only a stopped run can be confirmed as stopped.`);
    this.lifecycle.assertCan(run, outcome.status === 'succeeded' ? 'succeed' : 'fail');
    await this.events.append(runId, { type: 'usage', usage: outcome.usage });
    if (outcome.status === 'succeeded') {
      await this.lifecycle.transition(
        runId,
        'succeed',
        { usage: outcome.usage },
        { type: 'run.succeeded', summary: outcome.summary, ...(run.versionId ? { versionId: run.versionId } : {}) },
      );
    } else {
      await this.lifecycle.transition(
        runId,
        'fail',
        { usage: outcome.usage, failureReason: outcome.reason },
        { type: 'run.failed', reason: outcome.reason, retryable: true },
      );
    }
  }

  /** A worker process ended: if its run is still active, it failed (crash, kill, lost machine). */
  async workerExited(runId: string, detail: string): Promise<boolean> {
    const run = await this.lifecycle.get(runId).catch(() => null);
    if (!run || !isActiveRunStatus(run.status)) return false;
    const reason = `The worker ended unexpectedly (${detail}). Retry to continue from the latest version.`;
    try {
      await this.lifecycle.transition(runId, 'fail', { failureReason: reason }, { type: 'run.failed', reason, retryable: true });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Fails active runs whose worker went quiet. Returns the ids it failed. */
  /**
   * Fails active runs whose worker went quiet: a started run after `heartbeatTimeoutMs` without
   * a heartbeat; a run still queued (its worker task starting, 30–90 s on Fargate) only after
   * `startAllowanceMs` (never less than the heartbeat timeout) since it was queued or last heard of.
   */
  async sweepLostWorkers(options: { startAllowanceMs?: number } = {}): Promise<string[]> {
    const now = this.clock.now().getTime();
    const allowanceMs = Math.max(options.startAllowanceMs ?? heartbeatTimeoutMs, heartbeatTimeoutMs);
    const before = (milliseconds: number) => new Date(now - milliseconds).toISOString();
    const started = activeRunStatuses.filter((status) => status !== 'queued');
    const [quiet, unstarted] = await Promise.all([
      this.lifecycle.runs().find({ status: { $in: [...started] }, heartbeatAt: { $lt: before(heartbeatTimeoutMs) } }, { limit: 100 }),
      this.lifecycle.runs().find({ status: 'queued', heartbeatAt: { $lt: before(allowanceMs) } }, { limit: 100 }),
    ]);
    const failed: string[] = [];
    const lost = [
      ...quiet.items.map((run) => ({
        run,
        reason: `The worker stopped responding (no heartbeat for ${heartbeatTimeoutMs / 1000} s). Retry to continue from the latest version.`,
      })),
      ...unstarted.items.map((run) => ({
        run,
        reason: `The worker did not start within ${Math.round(allowanceMs / 1000)} s (no heartbeat). Retry to continue from the latest version.`,
      })),
    ];
    for (const { run, reason } of lost) {
      try {
        await this.lifecycle.transition(run._id, 'fail', { failureReason: reason }, { type: 'run.failed', reason, retryable: true });
        failed.push(run._id);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return failed;
  }
}
