import { useQuery } from '@tanstack/react-query';
import { FileCode2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import { QueryError } from '../../../components/query-error';
import { EmptyState } from '../../../components/ui/empty-state';
import { Skeleton } from '../../../components/ui/skeleton';
import { versionFilesQuery } from '../../../lib/queries';
import { CodeViewer } from './code-viewer';
import { FileTree } from './file-tree';
import { buildFileTree, defaultFile, initiallyOpen } from './file-tree-model';
import { failedWithNothing } from '../../../lib/query-state';

type CodePaneProps = { workspaceId: string; appId: string; versionId: string | null };

/** The source of the latest version: a file explorer and a read-only viewer. */
export function CodePane({ workspaceId, appId, versionId }: CodePaneProps) {
  // Kept here so the open file and folders survive a new version arriving.
  const [open, setOpen] = useState<Set<string> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  if (versionId === null) {
    return (
      <div className="flex flex-1 items-center justify-center p-6">
        <EmptyState
          icon={FileCode2}
          title="No code yet"
          description="The files appear after the first successful build."
          className="w-full max-w-md"
        />
      </div>
    );
  }
  const state = { open, setOpen, selected, setSelected };
  return <VersionCode workspaceId={workspaceId} appId={appId} versionId={versionId} {...state} />;
}

type VersionCodeProps = {
  workspaceId: string;
  appId: string;
  versionId: string;
  open: Set<string> | null;
  setOpen: (open: Set<string>) => void;
  selected: string | null;
  setSelected: (path: string) => void;
};

function VersionCode({ workspaceId, appId, versionId, open, setOpen, selected, setSelected }: VersionCodeProps) {
  const files = useQuery(versionFilesQuery(workspaceId, appId, versionId));
  const tree = useMemo(() => buildFileTree(files.data ?? []), [files.data]);

  if (files.isPending) {
    return (
      <div className="flex flex-col gap-2 p-4" aria-busy aria-label="Loading files">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-5 w-32" />
        <Skeleton className="h-5 w-36" />
      </div>
    );
  }
  if (failedWithNothing(files)) {
    return <QueryError className="m-4" error={files.error} what="the files" onRetry={() => files.refetch()} retrying={files.isFetching} />;
  }

  const openFolders = open ?? initiallyOpen(files.data);
  const current = selected && files.data.some((file) => file.path === selected) ? selected : defaultFile(files.data);
  const toggle = (path: string) => {
    const next = new Set(openFolders);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setOpen(next);
  };

  return (
    <div className="flex min-h-0 flex-1">
      <nav aria-label="Files" className="w-56 shrink-0 overflow-y-auto border-r p-2">
        <FileTree nodes={tree} open={openFolders} selected={current} onToggle={toggle} onSelect={setSelected} />
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        {current ? (
          <>
            <div className="flex h-9 shrink-0 items-center border-b px-3 font-mono text-xs text-muted-foreground">{current}</div>
            <div className="min-h-0 flex-1 overflow-auto">
              <CodeViewer workspaceId={workspaceId} appId={appId} versionId={versionId} path={current} />
            </div>
          </>
        ) : (
          <p className="p-6 text-[13px] text-muted-foreground">This version has no files.</p>
        )}
      </div>
    </div>
  );
}
