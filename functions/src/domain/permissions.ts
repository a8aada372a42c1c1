import type { Role } from '@hangar/protocol';

/**
 * The one permission table. Each permission names the weakest role that holds it; stronger
 * roles inherit it. Non-members never reach this table: they get 404 first.
 */
export const permissionTable = {
  'workspace.read': 'viewer',
  'workspace.update': 'admin',
  'members.read': 'viewer',
  'members.invite': 'admin',
  'members.change_role': 'admin',
  'members.remove': 'admin',
  'invitations.read': 'admin',
  'invitations.revoke': 'admin',
  'audit.read': 'admin',
  // Drafts: viewers see only published apps; per-app checks (creator, collaborators, teams) are in app-access.ts.
  'apps.read': 'member',
  'apps.build': 'member',
  'apps.publish': 'admin',
  'reviews.read': 'member',
  'reviews.decide': 'admin',
  'teams.read': 'viewer',
  'teams.manage': 'admin',
  'settings.read': 'viewer',
  'settings.update': 'admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof permissionTable;

const rank: Record<Role, number> = { viewer: 1, member: 2, admin: 3, owner: 4 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, permissionTable[permission]);
}

/** Only owners grant, change or remove the owner role; admins manage everyone below owner. */
export function canManageRole(actorRole: Role, role: Role): boolean {
  return role === 'owner' ? actorRole === 'owner' : roleAtLeast(actorRole, 'admin');
}
