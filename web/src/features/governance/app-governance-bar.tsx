import type { App, AppVersion } from '@hangar/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Send } from 'lucide-react';
import { Link } from 'react-router';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { useToast } from '../../components/ui/toast';
import { errorMessage } from '../../lib/api';
import { useMe } from '../auth/me-context';
import { useWorkspace } from '../workspaces/workspace-context';
import { appRolesOf } from './app-roles';
import { AppSettingsMenu } from './app-settings-menu';
import { CollaboratorsDialog } from './collaborators-dialog';
import { governanceApi, refreshGovernance, reviewsQuery } from './governance-api';
import { PublishDialog } from './publish-dialog';
import { ReviewStateBadge } from './review-state-badge';

/** The app page's governance controls: publish state, review request, publish, collaborators, settings. */
export function AppGovernanceBar({ app, versions }: { app: App; versions: AppVersion[] }) {
  const workspace = useWorkspace();
  const me = useMe();
  const toast = useToast();
  const queryClient = useQueryClient();
  const roles = appRolesOf(app, workspace.role, me.identity.id);
  const reviews = useQuery({ ...reviewsQuery(workspace.id, { appId: app.id }), enabled: roles.builder });
  const latest = reviews.data?.[0];
  const published = versions.find((version) => version.id === app.publishedVersionId);
  const request = useMutation({
    mutationFn: () => governanceApi.requestReview(workspace.id, app.id, app.latestVersionId ?? ''),
    onSuccess: async () => {
      toast.show({ title: 'Review requested', description: 'Admins see it in their review inbox.' });
      await refreshGovernance(queryClient, workspace.id);
    },
    onError: (error) => toast.show({ title: 'Could not request a review', description: errorMessage(error), tone: 'error' }),
  });
  const reviewing = latest && latest.versionId === app.latestVersionId && (latest.state === 'pending' || latest.state === 'approved');

  return (
    <div className="ml-auto flex items-center gap-1.5" data-testid="app-governance">
      {published ? (
        <Badge variant="success" data-testid="app-published">
          Published · v{published.number}
        </Badge>
      ) : (
        <Badge variant="neutral">Draft</Badge>
      )}
      {latest ? (
        <Link to={`/w/${workspace.id}/reviews`} className="max-sm:hidden">
          <ReviewStateBadge state={latest.state} />
        </Link>
      ) : null}
      {roles.builder && app.latestVersionId && app.latestVersionId !== app.publishedVersionId && !reviewing ? (
        <Button size="sm" variant="outline" loading={request.isPending} onClick={() => request.mutate()} data-testid="request-review">
          <Send aria-hidden />
          Request review
        </Button>
      ) : null}
      {roles.admin && latest?.state === 'approved' && latest.versionId !== app.publishedVersionId ? <PublishDialog review={latest} /> : null}
      {roles.builder ? <CollaboratorsDialog app={app} canEdit={roles.canShare} /> : null}
      <AppSettingsMenu app={app} canRename={roles.builder} canUnpublish={roles.admin} canDelete={roles.canDelete} />
    </div>
  );
}
