import { z } from 'zod';
import { AccessRules } from './access-rules';
import { AuditOutcome } from './audit';
import { BridgeWritable } from './bridge';
import { Id, IsoDateTime } from './common';
import { limits } from './limits';

/** Notes on reviews and decisions. */
export const ReviewNote = z.string().trim().max(4000);

/**
 * A review request of one version. `pending` → `approved` | `changes_requested` (an admin's
 * decision) or `stale` (a newer version was built, or another review was requested, while it
 * was pending). An approved review is what `publish` promotes.
 */
export const ReviewState = z.enum(['pending', 'approved', 'changes_requested', 'stale']);
export type ReviewState = z.infer<typeof ReviewState>;

export const Review = z.strictObject({
  id: Id,
  workspaceId: Id,
  appId: Id,
  appName: z.string(),
  versionId: Id,
  versionNumber: z.number().int().positive(),
  state: ReviewState,
  requestedBy: Id,
  requestedByName: z.string(),
  requestedAt: IsoDateTime,
  note: z.string().nullable(),
  decidedBy: Id.nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: IsoDateTime.nullable(),
  decisionNote: z.string().nullable(),
  /** Why the review went stale, e.g. "version 4 was built". */
  staleReason: z.string().nullable(),
  /** The access rules the version declares (null: it declares none). */
  rules: AccessRules.nullable(),
  /** The version published when the review was read (what the diff is against). */
  publishedVersionId: Id.nullable(),
  publishedRules: AccessRules.nullable(),
  publishedAt: IsoDateTime.nullable(),
});
export type Review = z.infer<typeof Review>;

/** `POST /api/workspaces/:w/apps/:a/reviews`. */
export const RequestReviewBody = z.strictObject({ versionId: Id, note: ReviewNote.optional() });
export type RequestReviewBody = z.infer<typeof RequestReviewBody>;

/** `GET /api/workspaces/:w/reviews?state=…&appId=…`. */
export const ReviewQuery = z.strictObject({ state: ReviewState.optional(), appId: Id.optional() });
export type ReviewQuery = z.infer<typeof ReviewQuery>;

/** `POST /api/workspaces/:w/reviews/:id/decision`. */
export const ReviewDecisionBody = z.strictObject({ decision: z.enum(['approve', 'request_changes']), note: ReviewNote.optional() });
export type ReviewDecisionBody = z.infer<typeof ReviewDecisionBody>;

/** `POST /api/workspaces/:w/apps/:a/publish`. */
export const PublishBody = z.strictObject({ versionId: Id });
export type PublishBody = z.infer<typeof PublishBody>;

export const AppName = z.string().trim().min(1, 'is required').max(120);
/** `PATCH /api/workspaces/:w/apps/:a`. */
export const RenameAppBody = z.strictObject({ name: AppName });
export type RenameAppBody = z.infer<typeof RenameAppBody>;

export const Collaborator = z.strictObject({ userId: Id, name: z.string(), email: z.string(), creator: z.boolean() });
export type Collaborator = z.infer<typeof Collaborator>;

/** `PUT /api/workspaces/:w/apps/:a/collaborators`: the whole list (the creator is always one). */
export const SetCollaboratorsBody = z.strictObject({ userIds: z.array(Id).max(200) });
export type SetCollaboratorsBody = z.infer<typeof SetCollaboratorsBody>;

/** `PUT /api/workspaces/:w/apps/:a/visibility`: teams that see the published app; empty means the whole workspace. */
export const SetVisibilityBody = z.strictObject({ teamIds: z.array(Id).max(100) });
export type SetVisibilityBody = z.infer<typeof SetVisibilityBody>;

export const TeamName = z.string().trim().min(1, 'is required').max(80);
export const Team = z.strictObject({
  id: Id,
  workspaceId: Id,
  name: z.string(),
  memberIds: z.array(Id),
  createdAt: IsoDateTime,
  createdBy: Id,
});
export type Team = z.infer<typeof Team>;
export const CreateTeamBody = z.strictObject({ name: TeamName, memberIds: z.array(Id).max(500).optional() });
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;
export const UpdateTeamBody = z.strictObject({ name: TeamName });
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;
export const AddTeamMemberBody = z.strictObject({ userId: Id });
export type AddTeamMemberBody = z.infer<typeof AddTeamMemberBody>;

/** What published apps may do in their frame (each off by default). */
export const FrameSettings = z.strictObject({
  externalLinks: z.boolean(),
  clipboardWrite: z.boolean(),
  downloads: z.boolean(),
});
export type FrameSettings = z.infer<typeof FrameSettings>;

export const WorkspaceSettings = z.strictObject({
  workspaceId: Id,
  auditRetentionDays: z.number().int(),
  frame: FrameSettings,
  updatedAt: IsoDateTime.nullable(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const auditRetentionBounds = { min: 7, max: 3650, default: 365 } as const;

/** `PATCH /api/workspaces/:w/settings`. */
export const UpdateWorkspaceSettingsBody = z.strictObject({
  auditRetentionDays: z.number().int().min(auditRetentionBounds.min).max(auditRetentionBounds.max).optional(),
  frame: FrameSettings.partial().strict().optional(),
});
export type UpdateWorkspaceSettingsBody = z.infer<typeof UpdateWorkspaceSettingsBody>;

/** One entry of `GET /api/workspaces/:w/published-apps`. */
export const PublishedApp = z.strictObject({
  id: Id,
  name: z.string(),
  publishedVersionId: Id,
  publishedVersionNumber: z.number().int().positive(),
  publishedAt: IsoDateTime,
  /** Teams that see it; empty: the whole workspace. */
  teamIds: z.array(Id),
});
export type PublishedApp = z.infer<typeof PublishedApp>;

/** `GET /api/workspaces/:w/published-apps/:a/frame`: the preview link of the published version and the frame permissions. */
export const PublishedFrame = z.strictObject({
  url: z.string(),
  expiresAt: IsoDateTime,
  versionId: Id,
  frame: FrameSettings,
  /** The iframe `sandbox` attribute, derived from the workspace's frame settings. */
  sandbox: z.string(),
  /** The iframe `allow` attribute (Permissions Policy). */
  allow: z.string(),
  /** What the caller may write in the published data (handed to the app with the bridge's `ready`). */
  writable: BridgeWritable,
});
export type PublishedFrame = z.infer<typeof PublishedFrame>;

/** `GET /api/workspaces/:w/audit-events/export`: the audit filters plus the format. */
export const AuditExportQuery = z.strictObject({
  format: z.enum(['jsonl', 'csv']),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  outcome: AuditOutcome.optional(),
  q: z.string().max(limits.maxSearchLength).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;
