import type { Context } from 'hono';
import { Hono } from 'hono';
import { CollectionName, DataQuery, DataScope, DocumentId, type DataScopeKey } from '@hangar/protocol';
import { z } from 'zod';
import { BadRequestError, NotFoundError, ValidationError } from '../../domain/errors';
import type { DataService } from '../../domain/data-service';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { issuesOf, pathId, readJson, readQuery } from '../validation';

const ListQuery = z.strictObject({
  query: z
    .string()
    .max(16 * 1024)
    .optional(),
});

/** The data API: collections of an app's draft or published data, scoped by workspace and app. */
export function dataRoutes(deps: AppDependencies & { data: DataService }) {
  const { data } = deps;
  const scopeOf = (c: Context<AppEnv>): DataScopeKey => {
    const scope = DataScope.safeParse(c.req.param('scope'));
    if (!scope.success) throw new NotFoundError('Data scope is draft or published.');
    const collection = CollectionName.safeParse(c.req.param('collection'));
    if (!collection.success)
      throw new ValidationError(collection.error.issues[0]?.message ?? 'invalid collection name', issuesOf(collection.error));
    return { workspaceId: pathId(c, 'w', 'Workspace'), appId: pathId(c, 'a', 'App'), scope: scope.data, collection: collection.data };
  };
  const documentId = (c: Context<AppEnv>) => {
    const parsed = DocumentId.safeParse(c.req.param('id'));
    if (!parsed.success) throw new NotFoundError('Document not found.');
    return parsed.data;
  };
  // z.unknown, not z.record: a record schema silently drops a `__proto__` key, and the domain's
  // iterative shape check must see the parsed body before anything recursive does.
  const body = (c: Context<AppEnv>) => readJson(c, z.unknown());

  return new Hono<AppEnv>()
    .get('/:w/apps/:a/data/:scope', async (c) => {
      const scope = DataScope.safeParse(c.req.param('scope'));
      if (!scope.success) throw new NotFoundError('Data scope is draft or published.');
      return c.json({
        items: await data.collections(requireActor(c), pathId(c, 'w', 'Workspace'), pathId(c, 'a', 'App'), scope.data),
        nextCursor: null,
      });
    })
    .get('/:w/apps/:a/data/:scope/:collection', async (c) => {
      const actor = requireActor(c);
      const key = scopeOf(c);
      const { query } = readQuery(c, ListQuery);
      let parsedJson: unknown = {};
      if (query) {
        try {
          parsedJson = JSON.parse(query);
        } catch {
          throw new BadRequestError('query is not valid JSON.', 'malformed_json');
        }
      }
      const parsed = DataQuery.safeParse(parsedJson);
      if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? 'invalid query', issuesOf(parsed.error));
      return c.json(await data.list(actor, key, parsed.data));
    })
    .post('/:w/apps/:a/data/:scope/:collection', async (c) => {
      const actor = requireActor(c);
      const key = scopeOf(c);
      return c.json(await data.insert(actor, key, await body(c)), 201);
    })
    .get('/:w/apps/:a/data/:scope/:collection/:id', async (c) => c.json(await data.get(requireActor(c), scopeOf(c), documentId(c))))
    .patch('/:w/apps/:a/data/:scope/:collection/:id', async (c) => {
      const actor = requireActor(c);
      const [key, id] = [scopeOf(c), documentId(c)];
      return c.json(await data.patch(actor, key, id, await body(c)));
    })
    .delete('/:w/apps/:a/data/:scope/:collection/:id', async (c) => {
      await data.remove(requireActor(c), scopeOf(c), documentId(c));
      return c.body(null, 204);
    });
}
