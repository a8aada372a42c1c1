import { createBrowserRouter } from 'react-router';
import { OidcCallbackPage } from './features/auth/oidc-callback-page';
import { RequireAuth } from './features/auth/require-auth';
import { WorkspaceLayout } from './features/workspaces/workspace-layout';
import { AppPage } from './pages/app-page';
import { AuditPage } from './pages/audit-page';
import { MembersPage } from './pages/members-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';
import { WorkspaceHomePage } from './pages/workspace-home-page';
import { WorkspacesPage } from './pages/workspaces-page';

/** Every route of the console. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/auth/callback', element: <OidcCallbackPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: '/', element: <WorkspacesPage /> },
      {
        path: '/w/:workspaceId',
        element: <WorkspaceLayout />,
        children: [
          { index: true, element: <WorkspaceHomePage /> },
          { path: 'members', element: <MembersPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'apps/:appId', element: <AppPage />, handle: { fullBleed: true } },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
