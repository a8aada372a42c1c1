import { SignInBody, type MeResponse } from '@hangar/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { FormField } from '../../components/form-field';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { api, errorMessage, fieldErrors, issuesToFieldErrors } from '../../lib/api';

type SignInFormProps = {
  onSignedIn: (me: MeResponse) => unknown;
  /** Shown next to the submit button, e.g. "Back" while adding a second person. */
  secondaryAction?: ReactNode;
};

/** Local sign-in: a name and an email, no password (auth mode `none`). */
export function SignInForm({ onSignedIn, secondaryAction }: SignInFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const signIn = useMutation({ mutationFn: api.signIn, onSuccess: onSignedIn });

  const serverErrors = fieldErrors(signIn.error);
  const errors = { ...serverErrors, ...localErrors };
  const otherError = signIn.isError && Object.keys(serverErrors).length === 0 ? signIn.error : null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = SignInBody.safeParse({ name, email });
    if (!parsed.success) {
      setLocalErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setLocalErrors({});
    signIn.mutate(parsed.data);
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      {otherError ? <Alert title="Could not sign in">{errorMessage(otherError)}</Alert> : null}
      <FormField label="Name" error={errors.name}>
        <Input
          data-testid="sign-in-name"
          autoComplete="name"
          autoFocus
          placeholder="Ada Lovelace"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </FormField>
      <FormField label="Email" error={errors.email} hint="Used to match invitations to you.">
        <Input
          data-testid="sign-in-email"
          type="email"
          autoComplete="email"
          placeholder="ada@example.com"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </FormField>
      <div className="mt-1 flex flex-col gap-2">
        <Button type="submit" data-testid="sign-in-submit" loading={signIn.isPending} className="w-full">
          Continue
        </Button>
        {secondaryAction}
      </div>
    </form>
  );
}
