import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, AuditEvent, PublishedApp, PublishedFrame, Review } from '@hangar/protocol';
import { contentHashOf } from '../domain/access-rules-reader';
import { governanceWorld, publishVersion, type GovernanceWorld } from './governance-testing';

const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

describe('publishing: draft → review → publish', () => {
  let world: GovernanceWorld;
  beforeEach(async () => {
    world = await governanceWorld();
  });
  afterEach(async () => world.close());

  it('walks the state machine: request, supersede on a new build, stale, request changes, approve, publish, unpublish', async () => {
    const { creator, admin, member, viewer } = world.clients;
    const v1 = await world.buildVersion({ 'dist/index.html': '<p>v1</p>' });
    const first = await json<Review>(creator.request('POST', `${world.a}/reviews`, { versionId: v1._id, note: 'first look' }));
    expect(first).toMatchObject({ state: 'pending', versionNumber: 1, note: 'first look', rules: null });
    // Members who do not build the app can neither request nor decide.
    expect((await member.request('POST', `${world.a}/reviews`, { versionId: v1._id })).status).toBe(403);
    expect((await creator.request('POST', `${world.w}/reviews/${first.id}/decision`, { decision: 'approve' })).status).toBe(403);

    // A new build during the review supersedes it.
    const v2 = await world.buildVersion({ 'dist/index.html': '<p>v2</p>' });
    const stale = await json<Review>(admin.request('GET', `${world.w}/reviews/${first.id}`));
    expect(stale).toMatchObject({ state: 'stale', staleReason: 'version 2 was built during the review' });
    expect((await admin.request('POST', `${world.w}/reviews/${first.id}/decision`, { decision: 'approve' })).status).toBe(409);
    const staleAudit = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?action=review.stale`));
    expect(staleAudit.items[0]?.metadata).toMatchObject({ reviewId: first.id, requestedBy: creator.me.identity.id });

    const second = await json<Review>(creator.request('POST', `${world.a}/reviews`, { versionId: v2._id }));
    const changes = await json<Review>(
      admin.request('POST', `${world.w}/reviews/${second.id}/decision`, { decision: 'request_changes', note: 'add a status' }),
    );
    expect(changes).toMatchObject({ state: 'changes_requested', decisionNote: 'add a status', decidedBy: admin.me.identity.id });
    // Publishing needs an approved review of exactly that version.
    expect((await admin.request('POST', `${world.a}/publish`, { versionId: v2._id })).status).toBe(409);

    const third = await json<Review>(creator.request('POST', `${world.a}/reviews`, { versionId: v2._id }));
    const pending = await json<{ items: Review[] }>(admin.request('GET', `${world.w}/reviews?state=pending`));
    expect(pending.items.map((review) => review.id)).toEqual([third.id]);
    expect((await json<Review>(admin.request('POST', `${world.w}/reviews/${third.id}/decision`, { decision: 'approve' }))).state).toBe(
      'approved',
    );
    expect((await creator.request('POST', `${world.a}/publish`, { versionId: v2._id })).status).toBe(403);
    const published = await json<App>(admin.request('POST', `${world.a}/publish`, { versionId: v2._id }));
    expect(published.publishedVersionId).toBe(v2._id);
    expect((await json<App>(creator.request('GET', world.a))).publishedVersionId).toBe(v2._id);

    // Viewers see it now, and only through the published version.
    const visible = await json<{ items: PublishedApp[] }>(viewer.request('GET', `${world.w}/published-apps`));
    expect(visible.items).toEqual([expect.objectContaining({ id: world.app.id, publishedVersionId: v2._id, publishedVersionNumber: 2 })]);
    expect((await viewer.request('GET', `${world.a}/versions`)).status).toBe(403);

    expect((await admin.request('POST', `${world.a}/unpublish`)).status).toBe(200);
    expect((await admin.request('POST', `${world.a}/unpublish`)).status).toBe(409);
    expect((await json<{ items: PublishedApp[] }>(viewer.request('GET', `${world.w}/published-apps`))).items).toEqual([]);
    expect((await viewer.request('GET', world.a)).status).toBe(403);

    const actions = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?action=${encodeURIComponent('review.*')}`));
    expect(actions.items.map((event) => event.action).reverse()).toEqual([
      'review.requested',
      'review.stale',
      'review.requested',
      'review.changes_requested',
      'review.requested',
      'review.approved',
    ]);
    const appEvents = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?action=${encodeURIComponent('app.*')}`));
    expect(appEvents.items.map((event) => event.action)).toEqual(['app.unpublished', 'app.published', 'app.created']);
  });

  it('promotes the same content hash it reviewed, serves those bytes, and keeps serving them while the draft moves on', async () => {
    const { admin, viewer } = world.clients;
    const v1 = await world.buildVersion({ 'dist/index.html': '<p>published one</p>', 'src/App.tsx': 'export default 1;' });
    await publishVersion(world, v1._id);
    const published = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?action=app.published`));
    expect(published.items[0]?.metadata.contentHash).toBe(await contentHashOf(v1.files));
    await world.buildVersion({ 'dist/index.html': '<p>draft two</p>', 'src/App.tsx': 'export default 2;' });

    const frame = await json<PublishedFrame>(viewer.request('GET', `${world.w}/published-apps/${world.app.id}/frame`));
    expect(frame.versionId).toBe(v1._id);
    expect(frame.sandbox).toBe('allow-scripts allow-forms allow-modals');
    const page = await world.test.app.request(`http://hangar.test${frame.url}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<p>published one</p>');
    expect(page.headers.get('content-security-policy')).toContain('sandbox allow-scripts allow-forms allow-modals;');
  });

  it('renames, and deletes an app with its versions, runs, reviews and data while keeping the audit records', async () => {
    const { creator, admin, member } = world.clients;
    const v1 = await world.buildVersion({ 'dist/index.html': 'x' });
    await creator.request('POST', `${world.a}/reviews`, { versionId: v1._id });
    expect((await creator.request('POST', `${world.a}/data/draft/leads`, { name: 'Ada' })).status).toBe(201);
    expect((await json<App>(creator.request('PATCH', world.a, { name: 'Lead Desk' }))).name).toBe('Lead Desk');
    expect((await member.request('PATCH', world.a, { name: 'Mine' })).status).toBe(403);
    expect((await member.request('DELETE', world.a)).status).toBe(403);
    expect((await admin.request('DELETE', world.a)).status).toBe(204);
    expect((await admin.request('GET', world.a)).status).toBe(404);
    expect(await world.test.store.collection('app_versions').count({ appId: world.app.id })).toBe(0);
    expect(await world.test.store.collection('runs').count({ appId: world.app.id })).toBe(0);
    expect(await world.test.store.collection('app_reviews').count({ appId: world.app.id })).toBe(0);
    expect(await world.test.store.collection('app_data_scopes').count({ appId: world.app.id })).toBe(0);
    const audit = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?q=Lead%20Desk`));
    expect(audit.items.map((event) => event.action)).toEqual(expect.arrayContaining(['app.deleted', 'app.renamed']));
    const deleted = audit.items.find((event) => event.action === 'app.deleted');
    expect(deleted?.metadata).toMatchObject({ versions: 1, reviews: 1, documents: 1 });
    expect(deleted?.summary).toBe('Adam Admin deleted Lead Desk');
  });
});
