import { Hono } from 'hono';
import { AuditExportQuery } from '@hangar/protocol';
import { openAuditExport } from '../../domain/audit-export';
import type { AppDependencies, AppEnv } from '../app-env';
import { requireActor } from '../middleware';
import { pathId, readQuery } from '../validation';

/** `GET /:w/audit-events/export?format=jsonl|csv&…filters`: streamed, one page of events at a time. */
export function auditExportRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>().get('/:w/audit-events/export', async (c) => {
    const actor = requireActor(c);
    const workspaceId = pathId(c, 'w', 'Workspace');
    const query = readQuery(c, AuditExportQuery);
    const chunks = await openAuditExport(deps.services.audit, deps.services.access, actor, workspaceId, query);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(body, 200, {
      'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="audit-${workspaceId}-${stamp}.${query.format === 'csv' ? 'csv' : 'jsonl'}"`,
    });
  });
}
