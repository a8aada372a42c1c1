import type { WorkspaceSummary } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { Check, ChevronsUpDown, LayoutGrid } from 'lucide-react';
import { useNavigate } from 'react-router';
import { Avatar } from '../../components/avatar';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu';
import { Spinner } from '../../components/ui/spinner';
import { workspacesQuery } from '../../lib/queries';
import { RoleBadge } from './role-badge';

/** The current workspace at the top of the sidebar; opens a list of the others. */
export function WorkspaceSwitcher({ current }: { current: WorkspaceSummary }) {
  const navigate = useNavigate();
  const workspaces = useQuery(workspacesQuery());

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        data-testid="workspace-switcher"
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-muted"
      >
        <Avatar name={current.name} seed={current.id} square />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-semibold">{current.name}</span>
          <span className="block text-xs text-muted-foreground capitalize">{current.role}</span>
        </span>
        <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span className="sr-only">Switch workspace</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
        {workspaces.isPending ? (
          <div className="flex justify-center py-3 text-muted-foreground">
            <Spinner />
          </div>
        ) : workspaces.isError ? (
          <p className="px-2 py-1.5 text-[13px] text-destructive">Could not load workspaces.</p>
        ) : (
          workspaces.data.items.map((workspace) => (
            <DropdownMenuItem key={workspace.id} onSelect={() => void navigate(`/w/${workspace.id}`)}>
              <Avatar name={workspace.name} seed={workspace.id} square className="size-5 text-[9px]" />
              <span className="min-w-0 flex-1 truncate">{workspace.name}</span>
              {workspace.id === current.id ? <Check className="text-primary!" aria-label="Current" /> : <RoleBadge role={workspace.role} />}
            </DropdownMenuItem>
          ))
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void navigate('/')}>
          <LayoutGrid aria-hidden />
          All workspaces
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
