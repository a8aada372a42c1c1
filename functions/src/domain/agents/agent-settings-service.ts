import type { DocumentStore, StoredDocument } from '../../ports/document-store';

/** Per-workspace rules for app agents. */
export interface AgentSettings {
  /** When set, nobody approves an agents.json they edited themselves. */
  forbidSelfApproval: boolean;
  /** Agent runs that may be queued or running at once in the workspace. */
  maxConcurrentRuns: number;
  /** Model spend per calendar month (UTC) across the workspace's agent runs, in USD. */
  monthlySpendLimitUsd: number;
}

interface SettingsRecord extends StoredDocument, AgentSettings {
  workspaceId: string;
}

export const defaultAgentSettings: AgentSettings = { forbidSelfApproval: false, maxConcurrentRuns: 5, monthlySpendLimitUsd: 50 };

/** Reads and changes a workspace's agent settings (defaults until someone changes them). */
export class AgentSettingsService {
  constructor(private readonly store: DocumentStore) {}

  private get records() {
    return this.store.collection<SettingsRecord>('workspace_agent_settings');
  }

  async get(workspaceId: string): Promise<AgentSettings> {
    const record = await this.records.findOne({ _id: workspaceId });
    if (!record) return { ...defaultAgentSettings };
    return {
      forbidSelfApproval: record.forbidSelfApproval,
      maxConcurrentRuns: record.maxConcurrentRuns,
      monthlySpendLimitUsd: record.monthlySpendLimitUsd,
    };
  }

  async set(workspaceId: string, settings: AgentSettings): Promise<AgentSettings> {
    const existing = await this.records.findOne({ _id: workspaceId });
    if (existing) await this.records.updateOne({ _id: workspaceId }, { $set: { ...settings } });
    else await this.records.insertOne({ _id: workspaceId, workspaceId, ...settings });
    return settings;
  }
}
