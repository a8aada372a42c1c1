import type { Role } from '@hangar/protocol';
import { Badge } from '../../components/ui/badge';
import { roleLabels } from '../../lib/roles';

const variants = { owner: 'default', admin: 'default', member: 'neutral', viewer: 'outline' } as const;

/** A member's role as a badge; owners and admins stand out in the accent colour. */
export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={variants[role]}>{roleLabels[role]}</Badge>;
}
