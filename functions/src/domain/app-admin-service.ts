import type { App } from '@hangar/protocol';
import { toApp } from './builder-mappers';
import { dataScopesCollection } from './data-service';
import { ConflictError, NotFoundError } from './errors';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { governanceCollections } from './governance-records';
import { roleAtLeast } from './permissions';
import { builderCollections, type AppRecord } from './records';
import { isActive } from './run-lifecycle';
import type { Actor } from './workspace-access';

/** Renaming and deleting apps. Deleting removes everything of the app except its audit records. */
export class AppAdminService {
  constructor(private readonly context: GovernanceContext) {}

  private apps() {
    return this.context.store.collection<AppRecord>(builderCollections.apps);
  }

  /** Builders rename an app. */
  async rename(actor: Actor, workspaceId: string, appId: string, name: string): Promise<App> {
    const { app } = await this.context.appAccess.require(actor, workspaceId, appId, 'build');
    const renamed = await this.apps().updateOne(
      { _id: appId, workspaceId },
      { $set: { name, updatedAt: this.context.clock.now().toISOString() } },
    );
    if (!renamed) throw new NotFoundError('App not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.renamed',
      target: { type: 'app', id: appId, label: name },
      summary: `${nameOf(actor)} renamed ${app.name} to ${name}`,
      metadata: { from: app.name, to: name },
      event: { type: 'app.renamed', appId },
    });
    return toApp(renamed);
  }

  /**
   * The creator or an admin deletes an app: its versions, runs, reviews, draft and published
   * data, collaborator and team grants (on the app record) and schedules go; audit records stay.
   * Refused while a run is active (stop it first), so no worker writes into a deleted app.
   */
  async remove(actor: Actor, workspaceId: string, appId: string): Promise<{ removed: Record<string, number> }> {
    const membership = await this.context.access.member(workspaceId, actor);
    const app = await this.context.appAccess.appOf(workspaceId, appId);
    if (app.createdBy !== actor.identity.id && !roleAtLeast(membership.role, 'admin')) {
      return this.context.access.denied(workspaceId, actor, 'apps.delete', `app ${appId}`, 'Only the app’s creator, admins and owners can delete it.');
    }
    if (app.latestRunStatus && isActive(app.latestRunStatus)) throw new ConflictError('A run is in progress; stop it before deleting the app.');
    const { store } = this.context;
    const removed: Record<string, number> = {};
    // Schedules first, through the scheduler, so no fire starts a run in an app that is going away.
    const schedules = (await this.context.agents?.withdrawn(actor, workspaceId, appId, 'app_deleted')) ?? 0;
    removed.versions = await store.collection(builderCollections.versions).deleteMany({ workspaceId, appId });
    removed.runs = await store.collection(builderCollections.runs).deleteMany({ workspaceId, appId });
    removed.reviews = await store.collection(governanceCollections.reviews).deleteMany({ workspaceId, appId });
    removed.schedules = schedules;
    const scopes = store.collection<{ _id: string; workspaceId: string; appId: string }>(dataScopesCollection);
    const dataCollections = await scopes.find({ workspaceId, appId }, { limit: 1000 });
    removed.documents = 0;
    for (const scope of dataCollections.items) {
      removed.documents += await store.collection(scope._id).deleteMany({});
      await scopes.deleteOne({ _id: scope._id });
    }
    await this.apps().deleteOne({ _id: appId, workspaceId });
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.deleted',
      target: { type: 'app', id: appId, label: app.name },
      summary: `${nameOf(actor)} deleted ${app.name}`,
      metadata: { ...removed, wasPublished: Boolean(app.publishedVersionId) },
      event: { type: 'app.deleted', appId, appBefore: app },
    });
    return { removed };
  }
}
