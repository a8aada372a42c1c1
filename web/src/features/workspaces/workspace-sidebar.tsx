import type { WorkspaceSummary } from '@hangar/protocol';
import { House, Inbox, LayoutGrid, ScrollText, Settings, Users, UsersRound, type LucideIcon } from 'lucide-react';
import { NavLink } from 'react-router';
import { HangarLogo } from '../../components/hangar-logo';
import { cn } from '../../lib/utils';
import { WorkspaceSwitcher } from './workspace-switcher';

type NavItem = { to: string; label: string; icon: LucideIcon; end?: boolean };

/** The left column of a workspace: the switcher and the sections of the workspace. */
export function WorkspaceSidebar({ workspace }: { workspace: WorkspaceSummary }) {
  const base = `/w/${workspace.id}`;
  const items: NavItem[] = [
    { to: base, label: 'Home', icon: House, end: true },
    { to: `${base}/apps`, label: 'Apps', icon: LayoutGrid },
    ...(workspace.role === 'viewer' ? [] : [{ to: `${base}/reviews`, label: 'Reviews', icon: Inbox }]),
    { to: `${base}/members`, label: 'Members', icon: Users },
    { to: `${base}/teams`, label: 'Teams', icon: UsersRound },
    { to: `${base}/audit`, label: 'Audit log', icon: ScrollText },
    { to: `${base}/settings`, label: 'Settings', icon: Settings },
  ];

  return (
    <aside className="sticky top-0 flex h-dvh w-60 shrink-0 flex-col border-r bg-card/60 max-md:hidden">
      <div className="p-3">
        <WorkspaceSwitcher current={workspace} />
      </div>
      <nav aria-label="Workspace" className="flex flex-col gap-0.5 px-3 py-2">
        {items.map((item) => (
          <NavLink
            key={item.to}
            to={item.to}
            end={item.end ?? false}
            data-testid={`nav-${item.label.toLowerCase().replace(/\s+/g, '-')}`}
            className={({ isActive }) =>
              cn(
                'flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-muted-foreground outline-none transition-colors hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring',
                isActive && 'bg-muted text-foreground',
              )
            }
          >
            <item.icon className="size-4" aria-hidden />
            {item.label}
          </NavLink>
        ))}
      </nav>
      <div className="mt-auto border-t px-5 py-4">
        <HangarLogo className="text-[13px] text-muted-foreground" />
      </div>
    </aside>
  );
}
