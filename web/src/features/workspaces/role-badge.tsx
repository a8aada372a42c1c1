import type { Role } from '@hangar/protocol';
import { Badge } from '../../components/ui/badge';
import { roleLabels } from '../../lib/roles';

const variants = { owner: 'strong', admin: 'default', member: 'neutral', viewer: 'outline' } as const;

/** A member's role as a badge: each role looks different, owners solid, admins in the accent colour. */
export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={variants[role]}>{roleLabels[role]}</Badge>;
}
