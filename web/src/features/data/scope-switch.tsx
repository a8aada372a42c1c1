import type { DataScope } from '@hangar/protocol';
import { cn } from '../../lib/utils';

const scopes: { id: DataScope; label: string; hint: string }[] = [
  { id: 'draft', label: 'Draft', hint: 'Data of the app being built (what the preview uses)' },
  { id: 'published', label: 'Published', hint: 'Data of the published app' },
];

/** Draft or published data, as a two-way segmented switch. */
export function ScopeSwitch({ value, onChange }: { value: DataScope; onChange: (scope: DataScope) => void }) {
  return (
    <div role="radiogroup" aria-label="Data scope" className="flex rounded-md bg-muted p-0.5" data-testid="data-scope-switch">
      {scopes.map((scope) => (
        <button
          key={scope.id}
          type="button"
          role="radio"
          aria-checked={value === scope.id}
          title={scope.hint}
          data-testid={`data-scope-${scope.id}`}
          onClick={() => onChange(scope.id)}
          className={cn(
            'rounded px-2.5 py-1 text-xs font-medium text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring',
            value === scope.id && 'bg-card text-foreground shadow-xs',
          )}
        >
          {scope.label}
        </button>
      ))}
    </div>
  );
}
