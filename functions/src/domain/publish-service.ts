import type { App } from '@hangar/protocol';
import { contentHashOf } from './access-rules-reader';
import { toApp } from './builder-mappers';
import { ConflictError, NotFoundError } from './errors';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { hashValue } from './redact';
import { builderCollections, type AppRecord, type VersionRecord } from './records';
import type { ReviewService } from './review-service';
import type { Actor } from './workspace-access';

/**
 * Publishing promotes one approved version: the very snapshot that was built and reviewed (its
 * files are content-addressed, so nothing is rebuilt) together with the access rules approved
 * with it, in one write to the app record — readers see the old published state or the new
 * one, never a mix.
 */
export class PublishService {
  constructor(
    private readonly context: GovernanceContext,
    private readonly reviews: ReviewService,
  ) {}

  private apps() {
    return this.context.store.collection<AppRecord>(builderCollections.apps);
  }

  async publish(actor: Actor, workspaceId: string, appId: string, versionId: string): Promise<App> {
    await this.context.access.require(workspaceId, actor, 'apps.publish');
    const app = await this.context.appAccess.appOf(workspaceId, appId);
    const version = await this.context.store
      .collection<VersionRecord>(builderCollections.versions)
      .findOne({ _id: versionId, workspaceId, appId });
    if (!version) throw new NotFoundError('Version not found.');
    const review = await this.reviews.approvedReviewOf(appId, versionId);
    if (!review) throw new ConflictError(`Version ${version.number} has no approved review; approve a review of it first.`);
    // Agents go live only as approved: the version's agents.json must hold an approval at its exact hash.
    const agentsHash = this.context.agents ? await this.context.agents.approvedHashOf(version) : null;
    const now = this.context.clock.now().toISOString();
    const published = await this.apps().updateOne(
      { _id: appId, workspaceId },
      {
        $set: {
          publishedVersionId: version._id,
          publishedAt: now,
          publishedBy: actor.identity.id,
          publishedReviewId: review._id,
          publishedRules: review.rules,
          publishedAgentsHash: agentsHash,
        },
      },
    );
    if (!published) throw new NotFoundError('App not found.');
    await this.reviews.markPublished(review._id, now);
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.published',
      target: { type: 'app', id: appId, label: app.name },
      summary: `${nameOf(actor)} published ${app.name} version ${version.number}`,
      metadata: {
        versionId: version._id,
        versionNumber: version.number,
        contentHash: await contentHashOf(version.files),
        reviewId: review._id,
        rulesHash: await hashValue(review.rules),
        collections: Object.keys(review.rules?.collections ?? {}),
        agentsHash,
        previousVersionId: app.publishedVersionId ?? null,
      },
      event: { type: 'app.published', appId, targetId: version._id },
    });
    // Schedules follow what is now published (each put and removal is audited on its own).
    await this.context.agents?.published(actor, workspaceId, appId, agentsHash);
    return toApp(published);
  }

  async unpublish(actor: Actor, workspaceId: string, appId: string): Promise<App> {
    await this.context.access.require(workspaceId, actor, 'apps.publish');
    const app = await this.context.appAccess.appOf(workspaceId, appId);
    if (!app.publishedVersionId) throw new ConflictError('The app is not published.');
    const unpublished = await this.apps().updateOne(
      { _id: appId, workspaceId },
      {
        $set: {
          publishedVersionId: null,
          publishedAt: null,
          publishedBy: null,
          publishedReviewId: null,
          publishedRules: null,
          publishedAgentsHash: null,
        },
      },
    );
    if (!unpublished) throw new NotFoundError('App not found.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'app.unpublished',
      target: { type: 'app', id: appId, label: app.name },
      summary: `${nameOf(actor)} unpublished ${app.name}`,
      metadata: { versionId: app.publishedVersionId },
      event: { type: 'app.unpublished', appId, appBefore: app },
    });
    await this.context.agents?.withdrawn(actor, workspaceId, appId, 'unpublished');
    return toApp(unpublished);
  }
}
