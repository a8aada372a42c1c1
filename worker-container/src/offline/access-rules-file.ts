import { accessRulesFileName, type AccessRules } from '@hangar/protocol';
import type { GeneratedFile } from './app-generator';
import type { AppSpec } from './app-spec';

/**
 * The generated app's `hangar.access.json`: its one collection is a shared list, so everyone in
 * the workspace may read it and members (not viewers) may add and change records. An admin
 * reviews and approves exactly this at publish.
 */
export function accessRulesFile(spec: AppSpec): GeneratedFile {
  const rules: AccessRules = { version: 1, collections: { [spec.entity.collection]: { read: 'viewers', write: 'members' } } };
  return { path: accessRulesFileName, content: `${JSON.stringify(rules, null, 2)}\n` };
}
