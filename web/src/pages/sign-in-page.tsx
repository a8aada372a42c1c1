import type { Identity, MeResponse } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, UserPlus } from 'lucide-react';
import type { ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { HangarLogo } from '../components/hangar-logo';
import { QueryError } from '../components/query-error';
import { Alert } from '../components/ui/alert';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { IdentityList } from '../features/auth/identity-list';
import { OidcSignIn } from '../features/auth/oidc-sign-in';
import { SignInForm } from '../features/auth/sign-in-form';
import { api, errorMessage, isApiError } from '../lib/api';
import { authConfigQuery, meQuery, queryKeys } from '../lib/queries';

/** Where to go after signing in: back to the page that asked, or the workspace chooser. */
function useReturnPath(): string {
  const state: unknown = useLocation().state;
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string' && state.from.startsWith('/')) {
    return state.from === '/sign-in' ? '/' : state.from;
  }
  return '/';
}

function SignInShell({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-b from-background to-muted/60 px-4 py-12">
      <HangarLogo className="mb-8 text-lg" />
      <Card className="w-full max-w-sm shadow-sm">
        <CardHeader>
          <CardTitle className="text-lg">{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent className="pt-5 pb-6">{children}</CardContent>
      </Card>
      <p className="mt-6 max-w-sm text-center text-xs text-muted-foreground">
        Your workspace, your apps, your audit trail — running on your own infrastructure.
      </p>
    </main>
  );
}

/** `/sign-in`: local identities in `none` mode, a single sign-on notice in `oidc` mode. */
export function SignInPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnPath = useReturnPath();
  const config = useQuery(authConfigQuery());
  const me = useQuery({ ...meQuery(), retry: false });

  const enter = async (signedIn: MeResponse) => {
    queryClient.clear();
    queryClient.setQueryData(queryKeys.me, signedIn);
    await navigate(returnPath, { replace: true });
  };
  // Signing in again (rather than only switching) also accepts invitations sent since the last visit.
  const continueAs = useMutation({
    mutationFn: (identity: Identity) => api.signIn({ name: identity.name, email: identity.email }),
    onSuccess: enter,
  });

  const meUnauthenticated = me.isError && isApiError(me.error) && me.error.status === 401;
  if (config.isPending || (me.isPending && !meUnauthenticated)) {
    return (
      <SignInShell title="Sign in to Hangar" description="Checking how this deployment signs people in…">
        <div className="flex flex-col gap-3" aria-busy>
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
        </div>
      </SignInShell>
    );
  }
  if (config.isError) {
    return (
      <SignInShell title="Sign in to Hangar" description="We could not reach the server.">
        <QueryError error={config.error} what="the sign-in settings" onRetry={() => config.refetch()} retrying={config.isFetching} />
      </SignInShell>
    );
  }
  if (config.data.mode === 'oidc') {
    return (
      <SignInShell title="Single sign-on" description="This deployment signs people in through your identity provider.">
        {config.data.issuer && config.data.audience ? (
          <OidcSignIn issuer={config.data.issuer} clientId={config.data.audience} returnTo={returnPath} />
        ) : (
          <div className="flex items-start gap-3 rounded-lg bg-muted px-4 py-3 text-sm">
            <KeyRound className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
            <p>Requests are authenticated with bearer tokens from your OpenID Connect provider. Sign in through your company portal to open Hangar.</p>
          </div>
        )}
      </SignInShell>
    );
  }

  const identities = me.data?.identities ?? [];
  const adding = searchParams.get('add') === '1' || identities.length === 0;

  if (adding) {
    return (
      <SignInShell
        title={identities.length > 0 ? 'Add another person' : 'Sign in to Hangar'}
        description={
          identities.length > 0
            ? 'Sign in a second local identity. Each tab can act as a different person.'
            : 'Local mode: pick a name and email. No password is needed on this machine.'
        }
      >
        <SignInForm
          onSignedIn={enter}
          secondaryAction={
            identities.length > 0 ? (
              <Button type="button" variant="ghost" className="w-full" onClick={() => setSearchParams({}, { state: { from: returnPath } })}>
                Back to signed-in people
              </Button>
            ) : null
          }
        />
      </SignInShell>
    );
  }

  return (
    <SignInShell title="Choose who you are" description="These people are signed in on this browser.">
      <div className="flex flex-col gap-4">
        {continueAs.isError ? <Alert title="Could not continue">{errorMessage(continueAs.error)}</Alert> : null}
        <IdentityList
          identities={identities}
          pendingId={continueAs.isPending ? (continueAs.variables?.id ?? null) : null}
          onContinue={(identity) => continueAs.mutate(identity)}
        />
        <Button variant="outline" data-testid="add-identity" onClick={() => setSearchParams({ add: '1' }, { state: { from: returnPath } })}>
          <UserPlus aria-hidden />
          Add another person
        </Button>
      </div>
    </SignInShell>
  );
}
