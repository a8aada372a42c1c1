import { createBrowserRouter } from 'react-router';
import { OidcCallbackPage } from './features/auth/oidc-callback-page';
import { RequireAuth } from './features/auth/require-auth';
import { WorkspaceLayout } from './features/workspaces/workspace-layout';
import { AppAgentsPage } from './pages/app-agents-page';
import { AppPage } from './pages/app-page';
import { AuditPage } from './pages/audit-page';
import { MembersPage } from './pages/members-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';
import { WorkspaceHomePage } from './pages/workspace-home-page';
import { WorkspacesPage } from './pages/workspaces-page';
import { AppsPage } from './pages/apps-page';
import { PublishedAppPage } from './pages/published-app-page';
import { ReviewsPage } from './pages/reviews-page';
import { SettingsPage } from './pages/settings-page';
import { TeamsPage } from './pages/teams-page';

/** Every route of the console. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/auth/callback', element: <OidcCallbackPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: '/', element: <WorkspacesPage /> },
      // A published app, full page: no workspace chrome.
      { path: '/w/:workspaceId/use/:appId', element: <PublishedAppPage /> },
      {
        path: '/w/:workspaceId',
        element: <WorkspaceLayout />,
        children: [
          { index: true, element: <WorkspaceHomePage /> },
          { path: 'members', element: <MembersPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'apps', element: <AppsPage /> },
          { path: 'reviews', element: <ReviewsPage /> },
          { path: 'teams', element: <TeamsPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: 'apps/:appId', element: <AppPage />, handle: { fullBleed: true } },
          { path: 'apps/:appId/agents', element: <AppAgentsPage />, handle: { fullBleed: true } },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
