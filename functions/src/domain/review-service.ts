import type { Review, ReviewDecisionBody, ReviewQuery, RequestReviewBody } from '@hangar/protocol';
import { readAccessRules } from './access-rules-reader';
import { ConflictError, NotFoundError } from './errors';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { governanceCollections, type ReviewRecord } from './governance-records';
import { hasPermission } from './permissions';
import { builderCollections, type AppRecord, type VersionRecord } from './records';
import type { Actor } from './workspace-access';

/**
 * Review requests of one version each (state machine in docs/publishing.md):
 * pending → approved | changes_requested (an admin decides) | stale (a newer version was built,
 * or a review of another version was requested, while it was pending).
 */
export class ReviewService {
  constructor(private readonly context: GovernanceContext) {}

  private reviews() {
    return this.context.store.collection<ReviewRecord>(governanceCollections.reviews);
  }

  async ensureIndexes(): Promise<void> {
    await this.reviews().createIndex({ keys: { workspaceId: 1, state: 1 } });
    await this.reviews().createIndex({ keys: { appId: 1, state: 1 } });
  }

  /** A builder asks for a review of one version; an open review of another version goes stale. */
  async request(actor: Actor, workspaceId: string, appId: string, body: RequestReviewBody): Promise<Review> {
    const { app } = await this.context.appAccess.require(actor, workspaceId, appId, 'build');
    const version = await this.context.store
      .collection<VersionRecord>(builderCollections.versions)
      .findOne({ _id: body.versionId, workspaceId, appId });
    if (!version) throw new NotFoundError('Version not found.');
    if (app.publishedVersionId === version._id) throw new ConflictError(`Version ${version.number} is already published.`);
    const rules = await readAccessRules(this.context.blobs, version.files);
    await this.markStale(workspaceId, appId, { exceptVersionId: null, reason: `a review of version ${version.number} was requested` });
    const now = this.context.clock.now().toISOString();
    const review: ReviewRecord = {
      _id: this.context.ids('rev'),
      workspaceId,
      appId,
      versionId: version._id,
      versionNumber: version.number,
      state: 'pending',
      requestedBy: actor.identity.id,
      requestedByName: nameOf(actor),
      requestedAt: now,
      note: body.note ?? null,
      decidedBy: null,
      decidedByName: null,
      decidedAt: null,
      decisionNote: null,
      staleReason: null,
      rules,
      publishedAt: null,
    };
    await this.reviews().insertOne(review);
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'review.requested',
      target: { type: 'app', id: appId, label: app.name },
      summary: `${nameOf(actor)} requested a review of ${app.name} version ${version.number}`,
      metadata: { reviewId: review._id, versionId: version._id, versionNumber: version.number, collections: Object.keys(rules?.collections ?? {}) },
      event: { type: 'review.requested', appId, targetId: review._id },
    });
    return this.toReview(review, app);
  }

  /** Admins see every review; others see the reviews of apps they build. */
  async list(actor: Actor, workspaceId: string, query: ReviewQuery): Promise<Review[]> {
    const membership = await this.context.access.require(workspaceId, actor, 'reviews.read');
    const filter: Record<string, unknown> = { workspaceId };
    if (query.state) filter.state = query.state;
    if (query.appId) filter.appId = query.appId;
    const page = await this.reviews().find(filter, { sort: { _id: -1 }, limit: 200 });
    const apps = new Map<string, AppRecord | null>();
    const result: Review[] = [];
    for (const review of page.items) {
      if (!apps.has(review.appId)) apps.set(review.appId, await this.appOrNull(workspaceId, review.appId));
      const app = apps.get(review.appId);
      if (!app) continue;
      if (!hasPermission(membership.role, 'reviews.decide') && !this.context.appAccess.isBuilder(app, membership)) continue;
      result.push(this.toReview(review, app));
    }
    return result;
  }

  async get(actor: Actor, workspaceId: string, reviewId: string): Promise<Review> {
    await this.context.access.member(workspaceId, actor);
    const review = await this.reviews().findOne({ _id: reviewId, workspaceId });
    if (!review) throw new NotFoundError('Review not found.');
    const { app } = await this.context.appAccess.require(actor, workspaceId, review.appId, 'build');
    return this.toReview(review, app);
  }

  /** An admin approves, or asks for changes with a note. Only a pending review can be decided. */
  async decide(actor: Actor, workspaceId: string, reviewId: string, body: ReviewDecisionBody): Promise<Review> {
    await this.context.access.require(workspaceId, actor, 'reviews.decide');
    const review = await this.reviews().findOne({ _id: reviewId, workspaceId });
    if (!review) throw new NotFoundError('Review not found.');
    const app = await this.context.appAccess.appOf(workspaceId, review.appId);
    if (review.state !== 'pending') throw new ConflictError(`The review is ${review.state.replace('_', ' ')}; only a pending review can be decided.`);
    const state = body.decision === 'approve' ? 'approved' : 'changes_requested';
    const decided = await this.reviews().updateOne(
      { _id: reviewId, state: 'pending' },
      {
        $set: {
          state,
          decidedBy: actor.identity.id,
          decidedByName: nameOf(actor),
          decidedAt: this.context.clock.now().toISOString(),
          decisionNote: body.note ?? null,
        },
      },
    );
    if (!decided) throw new ConflictError('The review changed meanwhile; reload it.');
    await recordChange(this.context, actor, {
      workspaceId,
      action: state === 'approved' ? 'review.approved' : 'review.changes_requested',
      target: { type: 'app', id: app._id, label: app.name },
      summary: `${nameOf(actor)} ${state === 'approved' ? 'approved' : 'requested changes to'} ${app.name} version ${review.versionNumber}`,
      metadata: { reviewId, versionId: review.versionId, versionNumber: review.versionNumber, note: body.note ?? null },
      event: { type: 'review.decided', appId: app._id, targetId: reviewId },
    });
    return this.toReview(decided, app);
  }

  /** The approved review of exactly this version, if any (what publishing needs). */
  async approvedReviewOf(appId: string, versionId: string): Promise<ReviewRecord | null> {
    const page = await this.reviews().find({ appId, versionId, state: 'approved' }, { sort: { _id: -1 }, limit: 1 });
    return page.items[0] ?? null;
  }

  async markPublished(reviewId: string, at: string): Promise<void> {
    await this.reviews().updateOne({ _id: reviewId }, { $set: { publishedAt: at } });
  }

  /** A new version was built: pending reviews of older versions go stale, and their requesters are told. */
  async versionCreated(version: VersionRecord): Promise<void> {
    await this.markStale(version.workspaceId, version.appId, {
      exceptVersionId: version._id,
      reason: `version ${version.number} was built during the review`,
    });
  }

  private async markStale(workspaceId: string, appId: string, options: { exceptVersionId: string | null; reason: string }) {
    const open = await this.reviews().find({ workspaceId, appId, state: 'pending' }, { limit: 100 });
    for (const review of open.items) {
      if (review.versionId === options.exceptVersionId) continue;
      const stale = await this.reviews().updateOne({ _id: review._id, state: 'pending' }, { $set: { state: 'stale', staleReason: options.reason } });
      if (!stale) continue;
      const app = await this.appOrNull(workspaceId, appId);
      await this.context.audit.record({
        workspaceId,
        actor: { type: 'system', id: 'governance' },
        source: 'system',
        action: 'review.stale',
        target: { type: 'app', id: appId, label: app?.name ?? appId },
        summary: `The review of ${app?.name ?? appId} version ${review.versionNumber} went stale: ${options.reason} (requested by ${review.requestedByName})`,
        metadata: { reviewId: review._id, versionId: review.versionId, requestedBy: review.requestedBy, reason: options.reason },
      });
      await this.context.events.publish({
        type: 'review.stale',
        workspaceId,
        appId,
        targetId: review._id,
        at: this.context.clock.now().toISOString(),
      });
    }
  }

  private appOrNull(workspaceId: string, appId: string) {
    return this.context.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId });
  }

  private toReview(record: ReviewRecord, app: AppRecord): Review {
    return {
      id: record._id,
      workspaceId: record.workspaceId,
      appId: record.appId,
      appName: app.name,
      versionId: record.versionId,
      versionNumber: record.versionNumber,
      state: record.state,
      requestedBy: record.requestedBy,
      requestedByName: record.requestedByName,
      requestedAt: record.requestedAt,
      note: record.note,
      decidedBy: record.decidedBy,
      decidedByName: record.decidedByName,
      decidedAt: record.decidedAt,
      decisionNote: record.decisionNote,
      staleReason: record.staleReason,
      rules: record.rules,
      publishedVersionId: app.publishedVersionId ?? null,
      publishedRules: app.publishedRules ?? null,
      publishedAt: record.publishedAt,
    };
  }
}
