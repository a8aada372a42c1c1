import type { FrameSettings } from '@hangar/protocol';
import { auditRetentionBounds } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../components/page-header';
import { QueryError } from '../components/query-error';
import { Alert } from '../components/ui/alert';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { Skeleton } from '../components/ui/skeleton';
import { governanceApi, refreshGovernance, settingsQuery } from '../features/governance/governance-api';
import { useWorkspace } from '../features/workspaces/workspace-context';
import { errorMessage } from '../lib/api';
import { isAdmin } from '../lib/roles';

const frameOptions: { key: keyof FrameSettings; label: string; description: string }[] = [
  { key: 'externalLinks', label: 'Open external links in a new tab', description: 'Adds allow-popups to the frame; the app still cannot reach the console.' },
  { key: 'clipboardWrite', label: 'Copy to the clipboard', description: 'Lets apps write to the clipboard (never read it).' },
  { key: 'downloads', label: 'Download files', description: 'Lets apps save files they generate, like CSV exports.' },
];

/** `/w/:workspaceId/settings`: what published apps may do in their frame, and how long the audit log is kept. */
export function SettingsPage() {
  const workspace = useWorkspace();
  const admin = isAdmin(workspace.role);
  const queryClient = useQueryClient();
  const settings = useQuery(settingsQuery(workspace.id));
  const [days, setDays] = useState<string | null>(null);
  const update = useMutation({
    mutationFn: (body: Parameters<typeof governanceApi.updateSettings>[1]) => governanceApi.updateSettings(workspace.id, body),
    onSuccess: async () => {
      setDays(null);
      await refreshGovernance(queryClient, workspace.id);
    },
  });
  if (settings.isPending) return <Skeleton className="h-64" />;
  if (settings.isError) return <QueryError error={settings.error} what="settings" onRetry={() => settings.refetch()} retrying={settings.isFetching} />;
  const current = settings.data;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" description={admin ? 'Changes are recorded in the audit log.' : 'Only admins and owners change these.'} />
      {update.isError ? <Alert title="Could not save">{errorMessage(update.error)}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Published apps may…</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {frameOptions.map((option) => (
            <label key={option.key} className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                disabled={!admin || update.isPending}
                checked={current.frame[option.key]}
                onChange={(event) => update.mutate({ frame: { [option.key]: event.target.checked } })}
                data-testid={`frame-${option.key}`}
              />
              <span>
                <span className="font-medium">{option.label}</span>
                <span className="block text-muted-foreground">{option.description}</span>
              </span>
            </label>
          ))}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Audit log retention</CardTitle>
        </CardHeader>
        <CardContent>
          <form
            className="flex items-center gap-2 text-sm"
            onSubmit={(event) => {
              event.preventDefault();
              if (days !== null) update.mutate({ auditRetentionDays: Number(days) });
            }}
          >
            Keep events for
            <Input
              type="number"
              className="w-24"
              min={auditRetentionBounds.min}
              max={auditRetentionBounds.max}
              disabled={!admin}
              value={days ?? String(current.auditRetentionDays)}
              onChange={(event) => setDays(event.target.value)}
              aria-label="Retention in days"
              data-testid="retention-days"
            />
            days
            {admin ? (
              <Button type="submit" variant="outline" size="sm" disabled={days === null} loading={update.isPending}>
                Save
              </Button>
            ) : null}
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
