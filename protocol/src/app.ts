import { z } from 'zod';
import { Id, IsoDateTime } from './common';
import { PlanCard, RunStatus, Usage } from './run';

export const PromptText = z.string().trim().min(1, 'is required').max(8000);

/** An app built by the agent. Its versions are content-addressed snapshots of successful builds. */
export const App = z.strictObject({
  id: Id,
  workspaceId: Id,
  name: z.string(),
  createdBy: Id,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  latestVersionId: Id.nullable(),
  latestRunId: Id.nullable(),
  latestRunStatus: RunStatus.nullable(),
  /** The version its users see; null while it is unpublished. */
  publishedVersionId: Id.nullable(),
  publishedAt: IsoDateTime.nullable(),
  /** People besides the creator who build it and use its draft data. */
  collaboratorIds: z.array(Id),
  /** Teams that see the published app; empty: the whole workspace. */
  teamIds: z.array(Id),
});
export type App = z.infer<typeof App>;

/** `POST /api/workspaces/:w/apps`: a new app from a prompt; the first run starts at once. */
export const CreateAppBody = z.strictObject({ prompt: PromptText });
export type CreateAppBody = z.infer<typeof CreateAppBody>;

/** `POST /api/workspaces/:w/apps/:a/messages`: a follow-up prompt starts a new run. */
export const SendMessageBody = z.strictObject({ text: PromptText });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** `POST …/runs/:r/plan`: accept the plan, or amend it with a note. */
export const PlanDecisionBody = z.strictObject({
  decision: z.enum(['accept', 'amend']),
  note: z.string().trim().max(4000).optional(),
});
export type PlanDecisionBody = z.infer<typeof PlanDecisionBody>;

export const Run = z.strictObject({
  id: Id,
  appId: Id,
  workspaceId: Id,
  status: RunStatus,
  prompt: z.string(),
  createdBy: Id,
  createdAt: IsoDateTime,
  startedAt: IsoDateTime.nullable(),
  finishedAt: IsoDateTime.nullable(),
  failureReason: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  plan: PlanCard.nullable(),
  usage: Usage,
  versionId: Id.nullable(),
  retryOf: Id.nullable(),
});
export type Run = z.infer<typeof Run>;

export const CreateAppResponse = z.strictObject({ app: App, run: Run });
export type CreateAppResponse = z.infer<typeof CreateAppResponse>;

export const AppVersion = z.strictObject({
  id: Id,
  appId: Id,
  number: z.number().int().positive(),
  runId: Id.nullable(),
  createdAt: IsoDateTime,
  fileCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Set when this version was made by restoring an older one. */
  restoredFrom: Id.nullable(),
});
export type AppVersion = z.infer<typeof AppVersion>;

export const VersionFile = z.strictObject({ path: z.string(), sha256: z.string(), size: z.number().int().nonnegative() });
export type VersionFile = z.infer<typeof VersionFile>;

export const VersionDiffEntry = z.strictObject({
  path: z.string(),
  change: z.enum(['added', 'removed', 'modified']),
  /** Unified diff for text files under the size cap. */
  diff: z.string().nullable(),
});
export const VersionDiff = z.strictObject({ from: Id, to: Id, files: z.array(VersionDiffEntry) });
export type VersionDiff = z.infer<typeof VersionDiff>;

/** `GET …/versions/:v/preview`: a short-lived capability URL for the sandboxed preview iframe. */
export const PreviewLink = z.strictObject({ url: z.string(), expiresAt: IsoDateTime });
export type PreviewLink = z.infer<typeof PreviewLink>;

/** What the console needs to say whether a model key is configured. */
export const BuilderInfo = z.strictObject({
  provider: z.string(),
  model: z.string(),
  offline: z.boolean(),
  /** Shown when offline: what the offline generator understands. */
  note: z.string(),
});
export type BuilderInfo = z.infer<typeof BuilderInfo>;
