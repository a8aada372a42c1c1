import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { AuditLog } from './audit-log';
import type { GovernanceEvents } from './governance-events';
import { collections, type WorkspaceRecord } from './records';
import type { WorkspaceSettingsService } from './workspace-settings-service';

const dayMs = 24 * 3600 * 1000;

/**
 * The audit retention purge: per workspace, events older than its retention (default 365 days)
 * are deleted, and the purge itself is recorded as `audit.purged` (a system event, inside the
 * retention window, so the log always says what was removed and when). The clock is a port so
 * tests move time instead of waiting.
 */
export class AuditRetention {
  constructor(
    private readonly store: DocumentStore,
    private readonly audit: AuditLog,
    private readonly settings: WorkspaceSettingsService,
    private readonly events: GovernanceEvents,
    private readonly clock: Clock,
  ) {}

  /** Purges every workspace once; answers how many events each lost. */
  async purgeExpired(): Promise<{ workspaceId: string; purged: number }[]> {
    const results: { workspaceId: string; purged: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store
        .collection<WorkspaceRecord>(collections.workspaces)
        .find({}, { sort: { _id: 1 }, limit: 100, ...(cursor ? { cursor } : {}) });
      for (const workspace of page.items) {
        const purged = await this.purgeWorkspace(workspace._id);
        if (purged > 0) results.push({ workspaceId: workspace._id, purged });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return results;
  }

  async purgeWorkspace(workspaceId: string): Promise<number> {
    const { auditRetentionDays } = await this.settings.current(workspaceId);
    const now = this.clock.now();
    const before = new Date(now.getTime() - auditRetentionDays * dayMs).toISOString();
    const purged = await this.audit.purgeBefore(workspaceId, before);
    if (purged > 0) {
      await this.audit.record({
        workspaceId,
        actor: { type: 'system', id: 'audit-retention' },
        source: 'system',
        action: 'audit.purged',
        target: { type: 'workspace', id: workspaceId, label: 'audit log' },
        summary: `Retention removed ${purged} audit event${purged === 1 ? '' : 's'} older than ${auditRetentionDays} days`,
        metadata: { purged, before, retentionDays: auditRetentionDays },
      });
      await this.events.publish({ type: 'audit.purged', workspaceId, at: now.toISOString() });
    }
    return purged;
  }
}
