import { AuditOutcome } from '@hangar/protocol';
import { Search, X } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../../components/ui/select';

export type AuditFilterValues = { action: string; outcome: AuditOutcome | 'all'; q: string };
export const emptyAuditFilters: AuditFilterValues = { action: '', outcome: 'all', q: '' };

type AuditFiltersProps = { value: AuditFilterValues; onChange: (value: AuditFilterValues) => void };

/** Search, action and outcome filters above the audit log. */
export function AuditFilters({ value, onChange }: AuditFiltersProps) {
  const active = value.action !== '' || value.outcome !== 'all' || value.q !== '';
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Filter audit events">
      <div className="relative min-w-56 flex-1">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
        <Input
          aria-label="Search"
          data-testid="audit-search"
          placeholder="Search actors, targets, actions…"
          className="pl-9"
          value={value.q}
          onChange={(event) => onChange({ ...value, q: event.target.value })}
        />
      </div>
      <Input
        aria-label="Action"
        data-testid="audit-action"
        placeholder="Action, e.g. member.invited"
        className="w-56"
        value={value.action}
        onChange={(event) => onChange({ ...value, action: event.target.value })}
      />
      <Select value={value.outcome} onValueChange={(outcome) => onChange({ ...value, outcome: outcome as AuditFilterValues['outcome'] })}>
        <SelectTrigger className="w-36" aria-label="Outcome" data-testid="audit-outcome">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="all">All outcomes</SelectItem>
          {AuditOutcome.options.map((outcome) => (
            <SelectItem key={outcome} value={outcome} className="capitalize">
              {outcome}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {active ? (
        <Button variant="ghost" onClick={() => onChange(emptyAuditFilters)}>
          <X aria-hidden />
          Clear
        </Button>
      ) : null}
    </div>
  );
}
