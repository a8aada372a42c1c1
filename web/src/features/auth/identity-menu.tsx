import { Check, ChevronsUpDown, LogOut, UserPlus } from 'lucide-react';
import { Avatar } from '../../components/avatar';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu';
import { useMe } from './me-context';
import { useIdentityActions } from './use-identity-actions';

/** Who this tab acts as, and the way to become someone else signed in on this browser. */
export function IdentityMenu() {
  const { identity, identities, authMode } = useMe();
  const { switchIdentity, signOut, addIdentity } = useIdentityActions();
  const others = identities.filter((other) => other.id !== identity.id);

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        data-testid="identity-menu"
        className="flex items-center gap-2 rounded-md py-1 pr-1.5 pl-1 text-sm outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-muted"
      >
        <Avatar name={identity.name} seed={identity.email} className="size-6 text-[10px]" />
        <span className="hidden max-w-40 truncate font-medium sm:inline">{identity.name}</span>
        <ChevronsUpDown className="size-3.5 text-muted-foreground" aria-hidden />
        <span className="sr-only">Account menu</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <div className="flex items-center gap-2.5 px-2 py-2">
          <Avatar name={identity.name} seed={identity.email} />
          <div className="min-w-0">
            <p className="truncate text-sm font-medium">{identity.name}</p>
            <p className="truncate text-xs text-muted-foreground" data-testid="identity-email">
              {identity.email}
            </p>
          </div>
          <Check className="ml-auto size-4 shrink-0 text-primary" aria-label="Active in this tab" />
        </div>
        {others.length > 0 ? (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuLabel>Switch to</DropdownMenuLabel>
            <DropdownMenuGroup>
              {others.map((other) => (
                <DropdownMenuItem key={other.id} onSelect={() => switchIdentity.mutate(other.id)}>
                  <Avatar name={other.name} seed={other.email} className="size-5 text-[9px]" />
                  <span className="min-w-0 flex-1 truncate">{other.name}</span>
                  <span className="truncate text-xs text-muted-foreground">{other.email}</span>
                </DropdownMenuItem>
              ))}
            </DropdownMenuGroup>
          </>
        ) : null}
        <DropdownMenuSeparator />
        {authMode === 'none' ? (
          <DropdownMenuItem onSelect={() => void addIdentity()}>
            <UserPlus aria-hidden />
            Add another person
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuItem onSelect={() => signOut.mutate(identity.id)}>
          <LogOut aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
