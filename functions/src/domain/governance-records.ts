import type { AccessRules, FrameSettings, ReviewState } from '@hangar/protocol';
import type { StoredDocument } from '../ports/document-store';

/** Stored shapes of governance: reviews, teams and workspace settings. */
export const governanceCollections = {
  reviews: 'app_reviews',
  teams: 'teams',
  settings: 'workspace_settings',
} as const;

export interface ReviewRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  versionId: string;
  versionNumber: number;
  state: ReviewState;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  note: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  staleReason: string | null;
  rules: AccessRules | null;
  publishedAt: string | null;
}

export interface TeamRecord extends StoredDocument {
  workspaceId: string;
  name: string;
  memberIds: string[];
  createdAt: string;
  createdBy: string;
}

/** One per workspace; `_id` is the workspace id. Absent means the defaults. */
export interface SettingsRecord extends StoredDocument {
  workspaceId: string;
  auditRetentionDays: number;
  frame: FrameSettings;
  updatedAt: string;
}
