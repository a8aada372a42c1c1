import type { AgentsConfigResponse } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useMemo } from 'react';
import { QueryError } from '../../components/query-error';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { AgentSettingsCard } from './agent-settings-card';
import { agentRunsQuery, secretsQuery } from './agents-queries';
import { parseJsonOrUndefined, requiredSecrets } from './required-secrets';
import { SecretRow } from './secret-row';

type IntegrationsTabProps = {
  workspaceId: string;
  appId: string;
  config: AgentsConfigResponse;
  isAdmin: boolean;
  nameOf: (userId: string) => string;
};

/** The secrets the tools need (from their `{{secrets.NAME}}` placeholders) with their state, and the workspace's agent limits. */
export function IntegrationsTab({ workspaceId, appId, config, isAdmin, nameOf }: IntegrationsTabProps) {
  const needed = useMemo(() => requiredSecrets(parseJsonOrUndefined(config.text)), [config.text]);
  const secrets = useQuery({ ...secretsQuery(workspaceId, appId), enabled: isAdmin });
  const runs = useQuery(agentRunsQuery(workspaceId, appId));
  const unused = (secrets.data ?? []).filter((secret) => !needed.some((item) => item.name === secret.name));

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-auto p-4">
      <Card data-testid="secrets-card">
        <CardHeader>
          <CardTitle>Integrations & secrets</CardTitle>
          <CardDescription>
            The secrets this app&apos;s tools ask for. Values are encrypted, used by the control plane when a tool is called, and never
            shown again: not here, not to the agent, not in any log.
            {isAdmin ? '' : ' Only admins and owners set them.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {needed.length === 0 && unused.length === 0 ? (
            <EmptyState
              icon={KeyRound}
              title="No secrets needed"
              description="When a tool's URL, query, headers or body holds a {{secrets.NAME}} placeholder, NAME appears here to be set."
            />
          ) : isAdmin && secrets.isPending ? (
            <Skeleton className="h-16" />
          ) : isAdmin && secrets.isError ? (
            <QueryError error={secrets.error} what="secrets" onRetry={() => secrets.refetch()} retrying={secrets.isFetching} />
          ) : (
            <ul className="flex flex-col gap-2">
              {needed.map((item) => (
                <SecretRow
                  key={item.name}
                  workspaceId={workspaceId}
                  appId={appId}
                  name={item.name}
                  tools={item.tools}
                  stored={isAdmin ? (secrets.data?.find((secret) => secret.name === item.name) ?? null) : undefined}
                  canManage={isAdmin}
                  nameOf={nameOf}
                />
              ))}
              {unused.map((secret) => (
                <SecretRow
                  key={secret.name}
                  workspaceId={workspaceId}
                  appId={appId}
                  name={secret.name}
                  tools={[]}
                  stored={secret}
                  canManage={isAdmin}
                  nameOf={nameOf}
                />
              ))}
            </ul>
          )}
          {!isAdmin && needed.length > 0 ? (
            <p className="mt-3 text-xs text-muted-foreground">Whether each one is set is visible to admins and owners.</p>
          ) : null}
        </CardContent>
      </Card>
      <AgentSettingsCard workspaceId={workspaceId} canEdit={isAdmin} runs={runs.data} />
    </div>
  );
}
