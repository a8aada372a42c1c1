import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { HangarLogo } from '../../components/hangar-logo';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Spinner } from '../../components/ui/spinner';
import { completeOidcSignIn } from './oidc-session';

/** `/auth/callback`: exchanges the authorization code, then returns to the page that asked. */
export function OidcCallbackPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // React's strict mode runs effects twice; a code can be exchanged only once.
    if (started.current) return;
    started.current = true;
    completeOidcSignIn(window.location.href)
      .then(async (returnTo) => {
        queryClient.clear();
        await navigate(returnTo, { replace: true });
      })
      .catch((cause: unknown) => setError(cause instanceof Error ? cause.message : 'The sign-in failed.'));
  }, [navigate, queryClient]);

  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col items-center justify-center gap-6 px-6">
      <HangarLogo />
      {error ? (
        <div className="flex w-full flex-col gap-4" data-testid="oidc-callback-error">
          <Alert title="Sign-in failed">{error}</Alert>
          <Button onClick={() => void navigate('/sign-in', { replace: true })}>Back to sign-in</Button>
        </div>
      ) : (
        <Spinner />
      )}
    </main>
  );
}
