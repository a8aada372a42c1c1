import type { AuditEvent } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '../../components/ui/dialog';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDateTime } from '../../lib/format';
import { appsQuery, membersQuery } from '../../lib/queries';
import { OutcomeBadge } from '../audit/outcome-badge';
import { useWorkspace } from '../workspaces/workspace-context';

/** Names for the ids an event mentions: people from the member list, apps from the app list. */
function useNames(workspaceId: string) {
  const members = useQuery(membersQuery(workspaceId));
  const apps = useQuery(appsQuery(workspaceId));
  return (id: string | undefined): string | undefined =>
    id === undefined
      ? undefined
      : (members.data?.items.find((member) => member.userId === id)?.name ?? apps.data?.find((app) => app.id === id)?.name);
}

/** The audit log with readable targets and a detail view per event. */
export function AuditEventTable({ workspaceId, events }: { workspaceId: string; events: AuditEvent[] }) {
  const nameOf = useNames(workspaceId);
  const workspace = useWorkspace();
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const target = (event: AuditEvent) => {
    const appName = typeof event.metadata.appId === 'string' ? nameOf(event.metadata.appId) : undefined;
    if (event.target.type === 'run') return appName ? `a run of ${appName}` : 'a run';
    if (event.target.type === 'workspace' && !event.target.label) return workspace.name;
    const label = event.target.label ?? nameOf(event.target.id) ?? event.target.id;
    return appName && event.target.type !== 'app' ? `${label} · ${appName}` : label;
  };
  return (
    <>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="w-40">Time</TableHead>
            <TableHead>What happened</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Source</TableHead>
            <TableHead className="text-right">Outcome</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => (
            <TableRow key={event.id} data-testid="audit-row" className="cursor-pointer" onClick={() => setOpen(event)}>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                <time dateTime={event.time}>{formatDateTime(event.time)}</time>
              </TableCell>
              <TableCell className="max-w-md">
                <button type="button" className="text-left hover:underline" data-testid="audit-summary">
                  {event.summary ?? `${event.actor.email ?? event.actor.id} · ${event.action}`}
                </button>
                <code className="ml-2 rounded bg-muted px-1 py-0.5 font-mono text-[11px] text-muted-foreground">{event.action}</code>
              </TableCell>
              <TableCell className="max-w-56 truncate" data-testid="audit-target">
                {target(event)}
              </TableCell>
              <TableCell className="text-muted-foreground">{event.source}</TableCell>
              <TableCell className="text-right">
                <OutcomeBadge outcome={event.outcome} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Dialog open={open !== null} onOpenChange={(next) => !next && setOpen(null)}>
        {open ? (
          <DialogContent data-testid="audit-detail">
            <DialogHeader>
              <DialogTitle>{open.summary ?? open.action}</DialogTitle>
              <DialogDescription>{formatDateTime(open.time)}</DialogDescription>
            </DialogHeader>
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-muted-foreground">Action</dt>
              <dd>
                <code>{open.action}</code>
              </dd>
              <dt className="text-muted-foreground">Actor</dt>
              <dd>
                {nameOf(open.actor.id) ?? open.actor.email ?? open.actor.id} ({open.actor.type})
              </dd>
              <dt className="text-muted-foreground">Source</dt>
              <dd>{open.source}</dd>
              <dt className="text-muted-foreground">Target</dt>
              <dd className="min-w-0">
                {target(open)}{' '}
                <span className="break-all text-muted-foreground">
                  ({open.target.type} {open.target.id})
                </span>
              </dd>
              <dt className="text-muted-foreground">Outcome</dt>
              <dd>
                <OutcomeBadge outcome={open.outcome} />
              </dd>
            </dl>
            <pre className="max-h-64 overflow-auto rounded bg-muted p-3 font-mono text-xs" data-testid="audit-metadata">
              {JSON.stringify(open.metadata, null, 2)}
            </pre>
          </DialogContent>
        ) : null}
      </Dialog>
    </>
  );
}
