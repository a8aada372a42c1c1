import type { SecretSummary } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { formatDateTime, formatRelative } from '../../lib/format';
import { agentKeys } from './agents-queries';

type SecretRowProps = {
  workspaceId: string;
  appId: string;
  name: string;
  tools: string[];
  /** Null when it has no value; undefined when this person may not know (not an admin). */
  stored: SecretSummary | null | undefined;
  canManage: boolean;
  nameOf: (userId: string) => string;
};

/** One secret: who needs it, whether and when it was set, and set / rotate / delete. The value is write-only. */
export function SecretRow({ workspaceId, appId, name, tools, stored, canManage, nameOf }: SecretRowProps) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: agentKeys.secrets(workspaceId, appId) });
  const set = useMutation({
    mutationFn: () => api.setSecret(workspaceId, appId, name, value),
    onSuccess: async () => {
      // The value leaves this page's memory as soon as the server has it.
      setValue('');
      setEditing(false);
      toast.show({
        title: stored ? `${name} rotated` : `${name} set`,
        description: 'The value is stored encrypted and is never shown again.',
      });
      await refresh();
    },
  });

  return (
    <li className="flex flex-col gap-2 rounded-lg border bg-card px-4 py-3" data-testid="secret-row" data-secret={name}>
      <div className="flex flex-wrap items-center gap-2">
        <KeyRound className="size-4 text-muted-foreground" aria-hidden />
        <span className="font-mono text-[13px] font-medium">{name}</span>
        {stored ? (
          <Badge variant="success" data-testid="secret-state" data-state="set">
            Set
          </Badge>
        ) : stored === null ? (
          <Badge variant="warning" data-testid="secret-state" data-state="missing">
            Not set
          </Badge>
        ) : null}
        <span className="text-xs text-muted-foreground">
          {tools.length > 0 ? `used by ${tools.join(', ')}` : 'no tool uses it any more'}
        </span>
        {canManage && !editing ? (
          <div className="ml-auto flex items-center gap-1.5">
            <Button size="sm" variant="outline" onClick={() => setEditing(true)} data-testid="secret-edit">
              {stored ? 'Rotate' : 'Set value'}
            </Button>
            {stored ? (
              <ConfirmDialog
                trigger={
                  <Button size="sm" variant="ghost" aria-label={`Delete ${name}`} data-testid="secret-delete">
                    <Trash2 aria-hidden />
                  </Button>
                }
                title={`Delete ${name}?`}
                description="Tools that use it fail with a credential error until a new value is set."
                confirmLabel="Delete secret"
                errorTitle="Could not delete the secret"
                destructive
                confirmTestId="secret-delete-confirm"
                action={async () => {
                  await api.deleteSecret(workspaceId, appId, name);
                  toast.show({ title: `${name} deleted` });
                  await refresh();
                }}
              />
            ) : null}
          </div>
        ) : null}
      </div>
      {stored ? (
        <p className="text-xs text-muted-foreground" data-testid="secret-updated">
          Version {stored.version}, set by {nameOf(stored.updatedBy)}{' '}
          <time dateTime={stored.updatedAt} title={formatDateTime(stored.updatedAt)}>
            {formatRelative(stored.updatedAt)}
          </time>
          . Values are write-only: nobody can read them back.
        </p>
      ) : null}
      {editing ? (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (value) set.mutate();
          }}
        >
          <Input
            type="password"
            autoComplete="new-password"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={`New value for ${name}`}
            aria-label={`New value for ${name}`}
            className="max-w-sm font-mono"
            maxLength={8192}
            data-testid="secret-value"
            autoFocus
          />
          <Button type="submit" size="sm" disabled={!value} loading={set.isPending} data-testid="secret-save">
            Save
          </Button>
          <Button
            type="button"
            size="sm"
            variant="ghost"
            onClick={() => {
              setValue('');
              setEditing(false);
              set.reset();
            }}
          >
            Cancel
          </Button>
          {set.isError ? <p className="w-full text-[13px] text-destructive">{errorMessage(set.error)}</p> : null}
        </form>
      ) : null}
    </li>
  );
}
