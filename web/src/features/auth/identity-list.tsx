import type { Identity } from '@hangar/protocol';
import { ArrowRight } from 'lucide-react';
import { Avatar } from '../../components/avatar';
import { Spinner } from '../../components/ui/spinner';

type IdentityListProps = {
  identities: Identity[];
  pendingId: string | null;
  onContinue: (identity: Identity) => void;
};

/** The people already signed in on this browser, each one click away. */
export function IdentityList({ identities, pendingId, onContinue }: IdentityListProps) {
  return (
    <ul className="flex flex-col gap-2" aria-label="Signed in on this browser">
      {identities.map((identity) => (
        <li key={identity.id}>
          <button
            type="button"
            data-testid={`continue-as-${identity.email}`}
            disabled={pendingId !== null}
            onClick={() => onContinue(identity)}
            className="group flex w-full items-center gap-3 rounded-lg border bg-card px-3 py-2.5 text-left transition-colors outline-none hover:border-primary/40 hover:bg-accent/40 focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
          >
            <Avatar name={identity.name} seed={identity.email} className="size-8 text-xs" />
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-medium">Continue as {identity.name}</span>
              <span className="block truncate text-xs text-muted-foreground">{identity.email}</span>
            </span>
            {pendingId === identity.id ? (
              <Spinner className="text-muted-foreground" />
            ) : (
              <ArrowRight className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden />
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
