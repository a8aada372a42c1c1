import { useMutation } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/api';
import { beginOidcSignIn } from './oidc-session';

/** The sign-in page in `oidc` mode: one button to the issuer's sign-in (Cognito hosted UI or yours). */
export function OidcSignIn({ issuer, clientId, returnTo }: { issuer: string; clientId: string; returnTo: string }) {
  const start = useMutation({ mutationFn: () => beginOidcSignIn({ issuer, clientId }, returnTo) });
  return (
    <div className="flex flex-col gap-4">
      {start.isError ? <Alert title="Could not start the sign-in">{errorMessage(start.error)}</Alert> : null}
      <Button data-testid="oidc-sign-in" disabled={start.isPending} onClick={() => start.mutate()}>
        <KeyRound aria-hidden />
        Sign in with single sign-on
      </Button>
      <p className="text-xs break-all text-muted-foreground">Identity provider: {issuer}</p>
    </div>
  );
}
