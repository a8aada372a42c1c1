import { Hono } from 'hono';
import type { PublishedApp, PublishedFrame } from '@hangar/protocol';
import { writableCollections } from '../../domain/data-access-rules';
import { NotFoundError } from '../../domain/errors';
import type { VersionRecord } from '../../domain/records';
import { frameAllow, sandboxTokens } from '../../domain/workspace-settings-service';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId } from '../validation';
import { governanceOf } from './governance-dependencies';

const frameTtlSeconds = 3600;

/** The Apps page: the published apps the caller may use, and the frame of one of them. */
export function publishedAppRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>()
    .get('/:w/published-apps', async (c) => {
      const actor = requireActor(c);
      const workspaceId = pathId(c, 'w', 'Workspace');
      const { governance, builder } = governanceOf(deps);
      const membership = await deps.services.access.member(workspaceId, actor);
      const items: PublishedApp[] = [];
      for (const app of await builder.appAccess.visibleApps(actor, workspaceId)) {
        if (!app.publishedVersionId || !app.publishedAt || !(await governance.appAccess.seesPublished(app, membership))) continue;
        const version = await deps.builder?.worker.versionForPreview(workspaceId, app._id, app.publishedVersionId);
        if (!version) continue;
        items.push({
          id: app._id,
          name: app.name,
          publishedVersionId: app.publishedVersionId,
          publishedVersionNumber: version.number,
          publishedAt: app.publishedAt,
          teamIds: app.teamIds ?? [],
        });
      }
      items.sort((a, b) => a.name.localeCompare(b.name));
      return c.json({ items, nextCursor: null });
    })
    .get('/:w/published-apps/:a/frame', async (c) => {
      const actor = requireActor(c);
      const [workspaceId, appId] = [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')];
      const { governance, tokens } = governanceOf(deps);
      const { app, membership } = await governance.appAccess.require(actor, workspaceId, appId, 'use');
      if (!app.publishedVersionId || !(await governance.appAccess.seesPublished(app, membership)))
        throw new NotFoundError('This app is not published.');
      const version: VersionRecord | null = await (deps.builder?.worker.versionForPreview(workspaceId, appId, app.publishedVersionId) ?? null);
      if (!version || version.workspaceId !== workspaceId) throw new NotFoundError('The published version is missing.');
      const { frame } = await governance.settings.current(workspaceId);
      const { token, expiresAt } = tokens.issue(
        { kind: 'preview', workspaceId, appId, versionId: version._id, published: true },
        frameTtlSeconds,
      );
      const body: PublishedFrame = {
        url: `/preview/${token}/`,
        expiresAt,
        versionId: version._id,
        frame,
        sandbox: sandboxTokens(frame).join(' '),
        allow: frameAllow(frame),
        writable: await writableCollections(governance.appAccess, app, membership),
      };
      return c.json(body);
    });
}
