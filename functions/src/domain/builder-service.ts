import type { App, AppVersion, CreateAppResponse, Run } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { RunEventLog, StoredRunEvent } from '../ports/run-event-log';
import type { RunLauncher } from '../ports/run-launcher';
import type { AuditLog } from './audit-log';
import { toApp, toRun, toVersion, nameFromPrompt } from './builder-mappers';
import { ConflictError, NotFoundError } from './errors';
import { builderCollections, type AppRecord, type RunRecord, type VersionRecord } from './records';
import { queuedRun, type RunLifecycle } from './run-lifecycle';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';
import { AppAccess, type AppNeed } from './app-access';
import type { GovernanceEvents } from './governance-events';

/** Issues the bearer token a worker uses for one run. */
export type RunTokenIssuer = (runId: string) => string;

export interface BuilderDependencies {
  store: DocumentStore;
  access: WorkspaceAccess;
  audit: AuditLog;
  events: RunEventLog;
  lifecycle: RunLifecycle;
  launcher: RunLauncher;
  issueRunToken: RunTokenIssuer;
  /** Where workers reach the control plane's internal API. */
  controlPlaneUrl: () => string;
  ids: IdGenerator;
  clock: Clock;
  /** Hears of new apps (the live console); nobody by default. */
  governanceEvents?: GovernanceEvents;
}

/** What people do with apps and runs: prompt, follow up, stop, retry, decide on a plan. */
export class BuilderService {
  /** Who builds or uses which app (creator, collaborators, admins; published visibility). */
  readonly appAccess: AppAccess;

  constructor(private readonly deps: BuilderDependencies) {
    this.appAccess = new AppAccess(deps.store, deps.access);
  }

  private apps() {
    return this.deps.store.collection<AppRecord>(builderCollections.apps);
  }
  private runs() {
    return this.deps.store.collection<RunRecord>(builderCollections.runs);
  }

  async ensureIndexes(): Promise<void> {
    await this.apps().createIndex({ keys: { workspaceId: 1 } });
    await this.runs().createIndex({ keys: { workspaceId: 1, appId: 1 } });
    await this.runs().createIndex({ keys: { status: 1 } });
    await this.deps.store
      .collection(builderCollections.versions)
      .createIndex({ keys: { workspaceId: 1, appId: 1, number: 1 }, unique: true, name: 'app_number' });
  }

  /** The app when the caller may build it (drafts, runs, versions) or, with `use`, see it. */
  async app(actor: Actor, workspaceId: string, appId: string, need: AppNeed = 'build'): Promise<AppRecord> {
    return (await this.appAccess.require(actor, workspaceId, appId, need)).app;
  }

  async listApps(actor: Actor, workspaceId: string): Promise<App[]> {
    return (await this.appAccess.visibleApps(actor, workspaceId)).map(toApp);
  }

  async getApp(actor: Actor, workspaceId: string, appId: string): Promise<App> {
    return toApp(await this.app(actor, workspaceId, appId, 'use'));
  }

  /** Whether a person builds the app a run belongs to (run streams are for builders). */
  async canBuildRun(userId: string, workspaceId: string, runId: string): Promise<boolean> {
    const membership = await this.deps.access.membershipOf(workspaceId, userId);
    const run = membership ? await this.runs().findOne({ _id: runId, workspaceId }) : null;
    const app = run ? await this.apps().findOne({ _id: run.appId, workspaceId }) : null;
    return Boolean(membership && app && this.appAccess.isBuilder(app, membership));
  }

  async createApp(actor: Actor, workspaceId: string, prompt: string): Promise<CreateAppResponse> {
    await this.deps.access.require(workspaceId, actor, 'apps.build');
    const now = this.deps.clock.now().toISOString();
    const app: AppRecord = {
      _id: this.deps.ids('app'),
      workspaceId,
      name: nameFromPrompt(prompt),
      createdBy: actor.identity.id,
      createdAt: now,
      updatedAt: now,
      latestVersionId: null,
      latestRunId: null,
      latestRunStatus: null,
    };
    await this.apps().insertOne(app);
    await this.deps.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'app.created',
      target: { type: 'app', id: app._id, label: app.name },
    });
    await this.deps.governanceEvents?.publish({ type: 'app.created', workspaceId, appId: app._id, at: now });
    const run = await this.startRun(actor, app, prompt, null);
    return { app: toApp((await this.apps().findOne({ _id: app._id })) ?? app), run };
  }

  async sendMessage(actor: Actor, workspaceId: string, appId: string, text: string): Promise<Run> {
    const app = await this.app(actor, workspaceId, appId);
    return this.startRun(actor, app, text, null);
  }

  async listRuns(actor: Actor, workspaceId: string, appId: string): Promise<Run[]> {
    await this.app(actor, workspaceId, appId);
    const page = await this.runs().find({ workspaceId, appId, kind: { $ne: 'agent' } }, { sort: { _id: 1 }, limit: 500 });
    return page.items.map(toRun);
  }

  async run(actor: Actor, workspaceId: string, runId: string): Promise<RunRecord> {
    await this.deps.access.member(workspaceId, actor);
    const run = await this.runs().findOne({ _id: runId, workspaceId });
    if (!run) throw new NotFoundError('Run not found.');
    await this.app(actor, workspaceId, run.appId, 'build');
    return run;
  }

  async runEvents(actor: Actor, workspaceId: string, runId: string, after?: string): Promise<StoredRunEvent[]> {
    await this.run(actor, workspaceId, runId);
    return this.deps.events.read(runId, { ...(after ? { after } : {}), limit: 5000 });
  }

  async stop(actor: Actor, workspaceId: string, runId: string): Promise<Run> {
    await this.deps.access.require(workspaceId, actor, 'apps.build');
    await this.run(actor, workspaceId, runId);
    const stopped = await this.deps.lifecycle.transition(runId, 'stop', {}, { type: 'run.stopped', by: actor.identity.email });
    await this.deps.launcher.stop(runId);
    await this.auditRun(actor, stopped, 'run.stopped');
    return toRun(stopped);
  }

  async retry(actor: Actor, workspaceId: string, runId: string): Promise<Run> {
    await this.deps.access.require(workspaceId, actor, 'apps.build');
    const previous = await this.run(actor, workspaceId, runId);
    if (previous.status !== 'failed' && previous.status !== 'stopped')
      throw new ConflictError('Only a failed or stopped run can be retried.');
    const app = await this.app(actor, workspaceId, previous.appId);
    return this.startRun(actor, app, previous.prompt, previous._id);
  }

  /** Accepts or amends the proposed plan; a run that is not awaiting approval answers 409. */
  async decidePlan(actor: Actor, workspaceId: string, runId: string, decision: 'accept' | 'amend', note?: string): Promise<Run> {
    await this.deps.access.require(workspaceId, actor, 'apps.build');
    await this.run(actor, workspaceId, runId);
    const decided = await this.deps.lifecycle.transition(
      runId,
      'decidePlan',
      {},
      {
        type: 'plan.decided',
        decision: decision === 'accept' ? 'accepted' : 'amended',
        ...(note ? { note } : {}),
      },
    );
    return toRun(decided);
  }

  async listVersions(actor: Actor, workspaceId: string, appId: string): Promise<AppVersion[]> {
    await this.app(actor, workspaceId, appId);
    const page = await this.deps.store
      .collection<VersionRecord>(builderCollections.versions)
      .find({ workspaceId, appId }, { sort: { number: -1 }, limit: 500 });
    return page.items.map(toVersion);
  }

  /**
   * Starts a run for an app. The app is claimed first with a conditional update (only an app with
   * no active run can be claimed), so concurrent messages to one app start one run; the others
   * get 409.
   */
  private async startRun(actor: Actor, app: AppRecord, prompt: string, retryOf: string | null): Promise<Run> {
    const now = this.deps.clock.now().toISOString();
    const runId = this.deps.ids('run');
    if (!(await this.deps.lifecycle.claimApp(app._id, runId, now))) {
      throw new ConflictError('A run is already in progress for this app. Wait for it, or stop it first.');
    }
    const run = queuedRun(
      { _id: runId, workspaceId: app.workspaceId, appId: app._id, prompt, createdBy: actor.identity.id, retryOf, kind: 'build' },
      now,
    );
    try {
      await this.runs().insertOne(run);
    } catch (error) {
      await this.deps.lifecycle.releaseApp(app._id, runId, { latestRunId: app.latestRunId, latestRunStatus: app.latestRunStatus });
      throw error;
    }
    await this.deps.events.append(run._id, { type: 'message.user', text: prompt });
    await this.deps.events.append(run._id, { type: 'run.queued', prompt });
    await this.auditRun(actor, run, retryOf ? 'run.retried' : 'run.created');
    try {
      await this.deps.launcher.launch({
        runId: run._id,
        appId: app._id,
        workspaceId: app.workspaceId,
        controlPlaneUrl: this.deps.controlPlaneUrl(),
        runToken: this.deps.issueRunToken(run._id),
        newApp: app.latestVersionId === null,
      });
    } catch (error) {
      const reason = `The worker could not be started: ${error instanceof Error ? error.message : String(error)}`;
      return toRun(
        await this.deps.lifecycle.transition(run._id, 'fail', { failureReason: reason }, { type: 'run.failed', reason, retryable: true }),
      );
    }
    return toRun(await this.deps.lifecycle.get(run._id));
  }

  private async auditRun(actor: Actor, run: RunRecord, action: string) {
    // The prompt is never stored in the audit log; its hash is (redaction hashes long values).
    await this.deps.audit.record({
      workspaceId: run.workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action,
      target: { type: 'run', id: run._id },
      metadata: { appId: run.appId, prompt: run.prompt },
    });
  }
}
