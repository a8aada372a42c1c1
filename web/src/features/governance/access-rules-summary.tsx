import { describeCollectionRule, diffAccessRules, type AccessRules } from '@hangar/protocol';
import { Badge } from '../../components/ui/badge';

/** The access rules in plain words, with what changed against the published rules. */
export function AccessRulesSummary({ rules, published }: { rules: AccessRules | null; published: AccessRules | null }) {
  const names = Object.keys(rules?.collections ?? {}).sort();
  const changes = new Map(diffAccessRules(published, rules).map((change) => [change.collection, change]));
  const removed = [...changes.values()].filter((change) => change.change === 'removed');
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="access-rules">
      {names.length === 0 ? (
        <p className="text-muted-foreground">
          This version declares no access rules: once published, only admins and owners can read or change its data.
        </p>
      ) : (
        <ul className="flex flex-col gap-1.5">
          {names.map((name) => {
            const change = changes.get(name);
            return (
              <li key={name} className="flex items-start gap-2" data-testid="access-rule">
                <span>{describeCollectionRule(name, rules?.collections[name])}</span>
                {change ? <Badge variant={change.change === 'added' ? 'success' : 'warning'}>{change.change === 'added' ? 'new' : 'changed'}</Badge> : null}
              </li>
            );
          })}
        </ul>
      )}
      {removed.map((change) => (
        <p key={change.collection} className="text-muted-foreground" data-testid="access-rule-removed">
          <Badge variant="destructive">removed</Badge> {change.collection}: no longer declared — only admins and owners will reach it.
        </p>
      ))}
      <p className="text-xs text-muted-foreground">Collections not named here are open to admins and owners only.</p>
    </div>
  );
}
