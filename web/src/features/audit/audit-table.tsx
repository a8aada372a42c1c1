import type { AuditEvent } from '@hangar/protocol';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDateTime, formatRelative } from '../../lib/format';
import { OutcomeBadge } from './outcome-badge';

function Actor({ actor }: { actor: AuditEvent['actor'] }) {
  const label = actor.email ?? actor.id;
  return (
    <span className="flex min-w-0 flex-col">
      <span className="truncate">{label}</span>
      {actor.type === 'user' ? null : <span className="text-xs text-muted-foreground capitalize">{actor.type}</span>}
    </span>
  );
}

function Target({ target }: { target: AuditEvent['target'] }) {
  return (
    <span className="flex min-w-0 flex-col">
      <span className="truncate">{target.label ?? target.id}</span>
      <span className="text-xs text-muted-foreground">{target.type}</span>
    </span>
  );
}

/** Audit events, newest first: when, who, what, on what, and how it ended. */
export function AuditTable({ events, compact = false }: { events: AuditEvent[]; compact?: boolean }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="w-40">Time</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          {compact ? null : <TableHead>Target</TableHead>}
          <TableHead className="text-right">Outcome</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((event) => (
          <TableRow key={event.id} data-testid="audit-row">
            <TableCell className="whitespace-nowrap text-muted-foreground">
              <time dateTime={event.time} title={formatDateTime(event.time)}>
                {compact ? formatRelative(event.time) : formatDateTime(event.time)}
              </time>
            </TableCell>
            <TableCell className="max-w-56">
              <Actor actor={event.actor} />
            </TableCell>
            <TableCell>
              <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{event.action}</code>
            </TableCell>
            {compact ? null : (
              <TableCell className="max-w-56">
                <Target target={event.target} />
              </TableCell>
            )}
            <TableCell className="text-right">
              <OutcomeBadge outcome={event.outcome} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
