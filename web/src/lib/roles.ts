import { roles, type Role } from '@hangar/protocol';

export const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const roleDescriptions: Record<Role, string> = {
  owner: 'Full control, including other owners',
  admin: 'Manages members, publishing and the audit log',
  member: 'Builds and uses apps',
  viewer: 'Uses published apps only',
};

/** Owners and admins manage members and read the audit log. */
export function isAdmin(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** The roles `actor` may hand out: only owners grant `owner`. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === 'owner') return [...roles];
  if (actor === 'admin') return roles.filter((role) => role !== 'owner');
  return [];
}

/** Whether `actor` may change or remove a member who currently holds `target`. */
export function canManageMember(actor: Role, target: Role, isSelf: boolean): boolean {
  if (isSelf || !isAdmin(actor)) return false;
  return target !== 'owner' || actor === 'owner';
}

/** Everyone but viewers builds apps (viewers use published apps only). */
export function canBuildApps(role: Role): boolean {
  return role !== 'viewer';
}
