import { auditRetentionBounds, type FrameSettings, type UpdateWorkspaceSettingsBody, type WorkspaceSettings } from '@hangar/protocol';
import { nameOf, recordChange, type GovernanceContext } from './governance-context';
import { governanceCollections, type SettingsRecord } from './governance-records';
import type { Actor } from './workspace-access';

export const defaultFrameSettings: FrameSettings = { externalLinks: false, clipboardWrite: false, downloads: false };

/**
 * The iframe `sandbox` tokens of a published app's frame. Never `allow-same-origin`: the app
 * stays in an opaque origin whatever is granted. The preview CSP repeats the same sandbox.
 */
export function sandboxTokens(frame: FrameSettings): string[] {
  return [
    'allow-scripts',
    'allow-forms',
    'allow-modals',
    ...(frame.externalLinks ? ['allow-popups', 'allow-popups-to-escape-sandbox'] : []),
    ...(frame.downloads ? ['allow-downloads'] : []),
  ];
}

/** The iframe `allow` attribute (Permissions Policy). */
export const frameAllow = (frame: FrameSettings) => (frame.clipboardWrite ? 'clipboard-write' : '');

/** Per-workspace settings: audit retention and what published apps may do in their frame. */
export class WorkspaceSettingsService {
  constructor(private readonly context: GovernanceContext) {}

  private settings() {
    return this.context.store.collection<SettingsRecord>(governanceCollections.settings);
  }

  /** Settings without an access check, for the preview route and the purge job. */
  async current(workspaceId: string): Promise<WorkspaceSettings> {
    const record = await this.settings().findOne({ _id: workspaceId });
    return {
      workspaceId,
      auditRetentionDays: record?.auditRetentionDays ?? auditRetentionBounds.default,
      frame: { ...defaultFrameSettings, ...record?.frame },
      updatedAt: record?.updatedAt ?? null,
    };
  }

  async get(actor: Actor, workspaceId: string): Promise<WorkspaceSettings> {
    await this.context.access.require(workspaceId, actor, 'settings.read');
    return this.current(workspaceId);
  }

  async update(actor: Actor, workspaceId: string, body: UpdateWorkspaceSettingsBody): Promise<WorkspaceSettings> {
    await this.context.access.require(workspaceId, actor, 'settings.update');
    const before = await this.current(workspaceId);
    const next: SettingsRecord = {
      _id: workspaceId,
      workspaceId,
      auditRetentionDays: body.auditRetentionDays ?? before.auditRetentionDays,
      frame: { ...before.frame, ...body.frame },
      updatedAt: this.context.clock.now().toISOString(),
    };
    const existing = await this.settings().findOne({ _id: workspaceId });
    if (existing) await this.settings().updateOne({ _id: workspaceId }, { $set: next });
    else await this.settings().insertOne(next);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (next.auditRetentionDays !== before.auditRetentionDays) changes.auditRetentionDays = { from: before.auditRetentionDays, to: next.auditRetentionDays };
    for (const key of Object.keys(next.frame) as (keyof FrameSettings)[]) {
      if (next.frame[key] !== before.frame[key]) changes[`frame.${key}`] = { from: before.frame[key], to: next.frame[key] };
    }
    const words = Object.entries(changes).map(([key, change]) => `${key} ${String(change.from)} → ${String(change.to)}`);
    await recordChange(this.context, actor, {
      workspaceId,
      action: 'settings.updated',
      target: { type: 'workspace', id: workspaceId, label: 'workspace settings' },
      summary: `${nameOf(actor)} changed workspace settings${words.length ? `: ${words.join(', ')}` : ' (no change)'}`,
      metadata: { changes },
      event: { type: 'settings.updated' },
    });
    return this.current(workspaceId);
  }
}
