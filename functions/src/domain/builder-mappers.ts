import type { App, AppVersion, Run } from '@hangar/protocol';
import type { AppRecord, RunRecord, VersionRecord } from './records';

export const toApp = (record: AppRecord): App => ({
  id: record._id,
  workspaceId: record.workspaceId,
  name: record.name,
  createdBy: record.createdBy,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  latestVersionId: record.latestVersionId,
  latestRunId: record.latestRunId,
  latestRunStatus: record.latestRunStatus,
  publishedVersionId: record.publishedVersionId ?? null,
  publishedAt: record.publishedAt ?? null,
  collaboratorIds: record.collaboratorIds ?? [],
  teamIds: record.teamIds ?? [],
});

export const toRun = (record: RunRecord): Run => ({
  id: record._id,
  appId: record.appId,
  workspaceId: record.workspaceId,
  status: record.status,
  prompt: record.prompt,
  createdBy: record.createdBy,
  createdAt: record.createdAt,
  startedAt: record.startedAt,
  finishedAt: record.finishedAt,
  failureReason: record.failureReason,
  provider: record.provider,
  model: record.model,
  plan: record.plan,
  usage: record.usage,
  versionId: record.versionId,
  retryOf: record.retryOf,
});

export const toVersion = (record: VersionRecord): AppVersion => ({
  id: record._id,
  appId: record.appId,
  number: record.number,
  runId: record.runId,
  createdAt: record.createdAt,
  fileCount: record.fileCount,
  totalBytes: record.totalBytes,
  restoredFrom: record.restoredFrom,
});

/** A readable provisional name from a prompt ("A tracker for leads with name…" → "Tracker for leads"); the agent may rename the app. */
export function nameFromPrompt(prompt: string): string {
  const cleaned =
    prompt
      .replace(/\s+/g, ' ')
      .replace(/^(please\s+)?(build|make|create|i need|we need|give me)\s+(me\s+)?/i, '')
      .replace(/^(an?|the)\s+/i, '')
      .split(/\s+(?:with|that|which|where|including)\s+|[:;,.!?(]/i)[0]
      ?.trim() ?? '';
  const words = cleaned.split(' ').slice(0, 6).join(' ');
  const name = words.charAt(0).toUpperCase() + words.slice(1);
  return name.length > 60 ? `${name.slice(0, 57)}…` : name || 'Untitled app';
}
