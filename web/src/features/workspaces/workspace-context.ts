import type { WorkspaceSummary } from '@hangar/protocol';
import { createContext, useContext } from 'react';

export const WorkspaceContext = createContext<WorkspaceSummary | null>(null);

/** The workspace of the current `/w/:workspaceId` route, with this identity's role in it. */
export function useWorkspace(): WorkspaceSummary {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace must be used below <WorkspaceLayout>');
  return workspace;
}
