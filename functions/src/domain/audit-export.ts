import type { AuditEvent, AuditExportQuery } from '@hangar/protocol';
import type { AuditLog } from './audit-log';
import type { Actor, WorkspaceAccess } from './workspace-access';

const csvColumns = ['id', 'time', 'actorType', 'actorId', 'actorEmail', 'source', 'action', 'targetType', 'targetId', 'targetLabel', 'outcome', 'summary', 'metadata'] as const;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets never run a cell as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(event: AuditEvent): string {
  const cells: Record<(typeof csvColumns)[number], string> = {
    id: event.id,
    time: event.time,
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorEmail: event.actor.email ?? '',
    source: event.source,
    action: event.action,
    targetType: event.target.type,
    targetId: event.target.id,
    targetLabel: event.target.label ?? '',
    outcome: event.outcome,
    summary: event.summary ?? '',
    metadata: JSON.stringify(event.metadata),
  };
  return `${csvColumns.map((column) => csvCell(cells[column])).join(',')}\r\n`;
}

/**
 * The filtered audit log as JSON Lines or CSV, newest first. Access is checked before the
 * first byte (so a refusal is a normal JSON error); the body is then produced page by page, so
 * an export of any size holds one page in memory at a time.
 */
export async function openAuditExport(
  audit: AuditLog,
  access: WorkspaceAccess,
  actor: Actor,
  workspaceId: string,
  query: AuditExportQuery,
): Promise<AsyncGenerator<string>> {
  await access.require(workspaceId, actor, 'audit.read');
  return auditExportChunks(audit, workspaceId, query);
}

async function* auditExportChunks(audit: AuditLog, workspaceId: string, query: AuditExportQuery): AsyncGenerator<string> {
  const { format, ...filters } = query;
  if (format === 'csv') yield `${csvColumns.join(',')}\r\n`;
  let cursor: string | undefined;
  do {
    const page = await audit.list(workspaceId, { ...filters, limit: 200, ...(cursor ? { cursor } : {}) });
    let chunk = '';
    for (const event of page.items) chunk += format === 'csv' ? csvRow(event) : `${JSON.stringify(event)}\n`;
    if (chunk) yield chunk;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
