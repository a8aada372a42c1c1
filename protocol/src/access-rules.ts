import { z } from 'zod';
import { CollectionName } from './data';

/**
 * Per-collection access rules an app declares in `hangar.access.json` at the root of its
 * workspace. They are carried in every version's files, shown in plain words when the version
 * is reviewed, approved with the publish, and enforced on the published data scope. A collection
 * the manifest does not name is open to admins only once the app is published.
 */
export const accessRulesFileName = 'hangar.access.json';

/** Who may act, weakest audience first: every member of the workspace including viewers, members and above, the app's builders, admins. */
export const accessAudiences = ['viewers', 'members', 'collaborators', 'admins'] as const;
export const AccessAudience = z.enum(accessAudiences);
export type AccessAudience = z.infer<typeof AccessAudience>;

export const CollectionRule = z.strictObject({
  read: AccessAudience,
  write: AccessAudience,
  /** Each person reads and changes only the documents they created; admins see all. */
  own: z.boolean().optional(),
});
export type CollectionRule = z.infer<typeof CollectionRule>;

export const maxRuleCollections = 100;

export const AccessRules = z.strictObject({
  version: z.literal(1),
  collections: z
    .record(CollectionName, CollectionRule)
    .refine((value) => Object.keys(value).length <= maxRuleCollections, `at most ${maxRuleCollections} collections`),
});
export type AccessRules = z.infer<typeof AccessRules>;

const audienceWords: Record<AccessAudience, string> = {
  viewers: 'everyone in the workspace',
  members: 'members, admins and owners',
  collaborators: 'the app’s collaborators and admins',
  admins: 'admins and owners only',
};

/** One collection's rule in plain words, e.g. "leads: everyone in the workspace can read; …". */
export function describeCollectionRule(name: string, rule: CollectionRule | undefined): string {
  if (!rule) return `${name}: not declared — only admins and owners can read or change it`;
  const own = rule.own ? ' — each person sees and changes only what they created (admins see all)' : '';
  return `${name}: ${audienceWords[rule.read]} can read; ${audienceWords[rule.write]} can add and change${own}`;
}

export type AccessRuleChange =
  | { collection: string; change: 'added'; after: CollectionRule }
  | { collection: string; change: 'removed'; before: CollectionRule }
  | { collection: string; change: 'changed'; before: CollectionRule; after: CollectionRule };

/** What changes between the published rules and a candidate version's rules. */
export function diffAccessRules(before: AccessRules | null, after: AccessRules | null): AccessRuleChange[] {
  const a = before?.collections ?? {};
  const b = after?.collections ?? {};
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes: AccessRuleChange[] = [];
  for (const collection of names) {
    const old = a[collection];
    const next = b[collection];
    if (!old && next) changes.push({ collection, change: 'added', after: next });
    else if (old && !next) changes.push({ collection, change: 'removed', before: old });
    else if (old && next && (old.read !== next.read || old.write !== next.write || Boolean(old.own) !== Boolean(next.own)))
      changes.push({ collection, change: 'changed', before: old, after: next });
  }
  return changes;
}
