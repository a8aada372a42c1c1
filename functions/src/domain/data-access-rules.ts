import type { DataScope } from '@hangar/protocol';
import type { AppAccess } from './app-access';
import { roleAtLeast } from './permissions';
import type { AppRecord, MembershipRecord } from './records';

/** Who created a document: stamped by Hangar on insert, read by `own` rules. */
export const ownerField = '_createdBy';

export type DataAccessDecision = { allowed: true; ownOnly: boolean } | { allowed: false; why: string };

/**
 * The data access table.
 * - draft scope: the app's builders (creator, collaborators, admins, owners), every collection.
 * - published scope of an unpublished app: the builders (it can be seeded before publishing).
 * - published scope of a published app: admins and owners always (all documents); others only
 *   when the app is visible to them and the approved rules name the collection with an
 *   audience including them; `own` limits them to the documents they created. A collection the
 *   rules do not name is denied (the safe default for a forgotten rule).
 * Without a collection (listing a scope's collections) only the app-level checks apply.
 */
/**
 * What a member may write in a published app's data, by the same decision as every write: all
 * of it (admins, owners, or a draft's builders), or the declared collections open to them.
 */
export async function writableCollections(
  appAccess: AppAccess,
  app: AppRecord,
  membership: MembershipRecord,
): Promise<{ all: boolean; collections: string[] }> {
  const whole = await decideDataAccess(appAccess, app, membership, 'published', 'write');
  if (!whole.allowed) return { all: false, collections: [] };
  if (roleAtLeast(membership.role, 'admin') || !app.publishedVersionId) return { all: true, collections: [] };
  const collections: string[] = [];
  for (const name of Object.keys(app.publishedRules?.collections ?? {}).sort()) {
    if ((await decideDataAccess(appAccess, app, membership, 'published', 'write', name)).allowed) collections.push(name);
  }
  return { all: false, collections };
}

export async function decideDataAccess(
  appAccess: AppAccess,
  app: AppRecord,
  membership: MembershipRecord,
  scope: DataScope,
  mode: 'read' | 'write',
  collection?: string,
): Promise<DataAccessDecision> {
  const builder = appAccess.isBuilder(app, membership);
  if (scope === 'draft' || !app.publishedVersionId) {
    if (builder) return { allowed: true, ownOnly: false };
    return {
      allowed: false,
      why: scope === 'draft' ? 'Draft data is open to the app’s creator, collaborators, admins and owners.' : 'This app is not published.',
    };
  }
  if (roleAtLeast(membership.role, 'admin')) return { allowed: true, ownOnly: false };
  if (!(await appAccess.seesPublished(app, membership))) return { allowed: false, why: 'This app is not published for you.' };
  if (collection === undefined) return { allowed: true, ownOnly: false };
  const rule = app.publishedRules?.collections[collection];
  if (!rule) return { allowed: false, why: `The app’s access rules do not open “${collection}”; only admins can use it.` };
  if (!appAccess.inAudience(rule[mode], app, membership)) {
    return { allowed: false, why: `The app’s access rules do not let you ${mode === 'read' ? 'read' : 'change'} “${collection}”.` };
  }
  return { allowed: true, ownOnly: rule.own === true };
}
