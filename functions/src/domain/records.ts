import type { InvitationStatus, Role } from '@hangar/protocol';
import type { StoredDocument } from '../ports/document-store';

/** Stored shapes of the foundation's collections. Every workspace record carries `workspaceId`. */
export const collections = {
  users: 'users',
  workspaces: 'workspaces',
  memberships: 'memberships',
  invitations: 'invitations',
  connections: 'ws_connections',
} as const;

export interface UserRecord extends StoredDocument {
  email: string;
  name: string;
  provider: 'local' | 'oidc';
  createdAt: string;
  lastSignInAt: string;
}

export interface WorkspaceRecord extends StoredDocument {
  workspaceId: string;
  name: string;
  createdAt: string;
  createdBy: string;
}

export interface MembershipRecord extends StoredDocument {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface InvitationRecord extends StoredDocument {
  workspaceId: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: string;
  createdAt: string;
  acceptedAt: string | null;
}
