import { z } from 'zod';
import { Email, Id, IsoDateTime } from './common';
import { limits } from './limits';

/** Roles, strongest first. */
export const roles = ['owner', 'admin', 'member', 'viewer'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const WorkspaceName = z.string().trim().min(1, 'is required').max(limits.maxWorkspaceNameLength);

export const Workspace = z.strictObject({
  id: Id,
  name: z.string(),
  createdAt: IsoDateTime,
  createdBy: Id,
});
export type Workspace = z.infer<typeof Workspace>;

/** A workspace as one member sees it: with their own role and the member count. */
export const WorkspaceSummary = Workspace.extend({ role: Role, memberCount: z.number().int() });
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

export const CreateWorkspaceBody = z.strictObject({ name: WorkspaceName });
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

export const UpdateWorkspaceBody = z.strictObject({ name: WorkspaceName });
export type UpdateWorkspaceBody = z.infer<typeof UpdateWorkspaceBody>;

export const Membership = z.strictObject({
  workspaceId: Id,
  userId: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: IsoDateTime,
});
export type Membership = z.infer<typeof Membership>;

export const ChangeRoleBody = z.strictObject({ role: Role });
export type ChangeRoleBody = z.infer<typeof ChangeRoleBody>;

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const Invitation = z.strictObject({
  id: Id,
  workspaceId: Id,
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  invitedBy: Id,
  createdAt: IsoDateTime,
  acceptedAt: IsoDateTime.nullable(),
});
export type Invitation = z.infer<typeof Invitation>;

export const CreateInvitationBody = z.strictObject({ email: Email, role: Role });
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;
