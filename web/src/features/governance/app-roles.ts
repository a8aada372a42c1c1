import type { App, Role } from '@hangar/protocol';
import { isAdmin } from '../../lib/roles';

/** Mirrors the server's app-access rules, to show only the controls a person may use. */
export function appRolesOf(app: App, role: Role, userId: string) {
  const admin = isAdmin(role);
  const creator = app.createdBy === userId;
  const builder = admin || (role !== 'viewer' && (creator || app.collaboratorIds.includes(userId)));
  return { admin, creator, builder, canShare: admin || (creator && role !== 'viewer'), canDelete: admin || creator };
}
