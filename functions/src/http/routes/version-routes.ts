import { Hono } from 'hono';
import { z } from 'zod';
import { Id, type PreviewLink } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readQuery } from '../validation';

const FileQuery = z.strictObject({ path: z.string().min(1).max(500) });
const DiffQuery = z.strictObject({ from: Id });
const previewTtlSeconds = 3600;

/** Versions: list, files, file text, diff, restore, and preview links. */
export function versionRoutes(deps: AppDependencies) {
  const builder = () => deps.builder;
  const ids = (c: Parameters<typeof pathId>[0]) => [pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App')] as const;
  return new Hono<AppEnv>()
    .get('/:w/apps/:a/versions', async (c) =>
      c.json({ items: await builder().builder.listVersions(requireActor(c), ...ids(c)), nextCursor: null }),
    )
    .get('/:w/apps/:a/versions/:v/files', async (c) => {
      const version = await builder().versions.version(requireActor(c), ...ids(c), pathId(c, 'v', 'Version'));
      return c.json({ items: version.files, nextCursor: null });
    })
    .get('/:w/apps/:a/versions/:v/file', async (c) => {
      const { path } = readQuery(c, FileQuery);
      return c.json({ path, text: await builder().versions.fileText(requireActor(c), ...ids(c), pathId(c, 'v', 'Version'), path) });
    })
    .get('/:w/apps/:a/versions/:v/diff', async (c) => {
      const { from } = readQuery(c, DiffQuery);
      return c.json(await builder().versions.diff(requireActor(c), ...ids(c), from, pathId(c, 'v', 'Version')));
    })
    .post('/:w/apps/:a/versions/:v/restore', async (c) =>
      c.json(await builder().versions.restore(requireActor(c), ...ids(c), pathId(c, 'v', 'Version')), 201),
    )
    .get('/:w/apps/:a/versions/:v/preview', async (c) => {
      const [workspaceId, appId] = ids(c);
      const version = await builder().versions.version(requireActor(c), workspaceId, appId, pathId(c, 'v', 'Version'));
      const { token, expiresAt } = builder().tokens.issue(
        { kind: 'preview', workspaceId, appId, versionId: version._id },
        previewTtlSeconds,
      );
      const body: PreviewLink = { url: `/preview/${token}/`, expiresAt };
      return c.json(body);
    });
}
