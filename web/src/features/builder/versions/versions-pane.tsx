import type { AppVersion } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { GitCommitHorizontal, History } from 'lucide-react';
import { useState } from 'react';
import { QueryError } from '../../../components/query-error';
import { EmptyState } from '../../../components/ui/empty-state';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../../../components/ui/select';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatDateTime, formatRelative, pluralize } from '../../../lib/format';
import { versionsQuery } from '../../../lib/queries';
import { cn } from '../../../lib/utils';
import { RestoreVersionDialog } from './restore-version-dialog';
import { VersionDiff } from './version-diff';
import { failedWithNothing } from '../../../lib/query-state';

type VersionsPaneProps = { workspaceId: string; appId: string; canBuild: boolean };

function origin(version: AppVersion, all: AppVersion[]): string {
  if (version.restoredFrom) {
    const source = all.find((each) => each.id === version.restoredFrom);
    return source ? `Restored from version ${source.number}` : 'Restored';
  }
  return version.runId ? 'From a build' : 'Snapshot';
}

/** The history of an app: every version, what changed between two of them, and restore. */
export function VersionsPane({ workspaceId, appId, canBuild }: VersionsPaneProps) {
  const versions = useQuery(versionsQuery(workspaceId, appId));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [compareId, setCompareId] = useState<string | null>(null);

  if (versions.isPending) {
    return (
      <div className="flex flex-col gap-2 p-4" aria-busy aria-label="Loading versions">
        <Skeleton className="h-12" />
        <Skeleton className="h-12" />
      </div>
    );
  }
  if (failedWithNothing(versions)) {
    return (
      <QueryError
        className="m-4"
        error={versions.error}
        what="versions"
        onRetry={() => versions.refetch()}
        retrying={versions.isFetching}
      />
    );
  }
  const all = versions.data;
  if (all.length === 0) {
    return (
      <div className="flex flex-1 items-center justify-center p-6">
        <EmptyState
          icon={History}
          title="No versions yet"
          description="Every successful build becomes a version you can compare and restore."
          className="w-full max-w-md"
        />
      </div>
    );
  }

  const selectedIndex = Math.max(
    0,
    all.findIndex((version) => version.id === selectedId),
  );
  const selected = all[selectedIndex] ?? all[0];
  const others = all.filter((version) => version.id !== selected?.id);
  // By default a version is compared with the one before it.
  const compare = others.find((version) => version.id === compareId) ?? all[selectedIndex + 1] ?? null;
  const latestId = all[0]?.id;

  return (
    <div className="flex min-h-0 flex-1 max-md:flex-col">
      <ul
        className="w-64 shrink-0 overflow-y-auto border-r p-2 max-md:max-h-56 max-md:w-full max-md:border-r-0 max-md:border-b"
        aria-label="Versions"
      >
        {all.map((version) => (
          <li key={version.id}>
            <div
              data-testid="version-row"
              data-version-number={version.number}
              className={cn(
                'flex items-center gap-2 rounded-md px-2 py-1.5 transition-colors hover:bg-muted',
                version.id === selected?.id && 'bg-accent hover:bg-accent',
              )}
            >
              <button
                type="button"
                onClick={() => {
                  setSelectedId(version.id);
                  setCompareId(null);
                }}
                aria-pressed={version.id === selected?.id}
                className="flex min-w-0 flex-1 items-start gap-2 rounded text-left outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <GitCommitHorizontal className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
                <span className="min-w-0">
                  <span className="block text-[13px] font-medium">
                    Version {version.number}
                    {version.id === latestId ? <span className="ml-1.5 text-xs font-normal text-muted-foreground">latest</span> : null}
                  </span>
                  <span className="block text-xs text-muted-foreground" title={formatDateTime(version.createdAt)}>
                    {formatRelative(version.createdAt)} · {pluralize(version.fileCount, 'file')}
                  </span>
                  <span className="block truncate text-xs text-muted-foreground">{origin(version, all)}</span>
                </span>
              </button>
              {canBuild && version.id !== latestId ? (
                <RestoreVersionDialog
                  workspaceId={workspaceId}
                  appId={appId}
                  version={version}
                  onRestored={(restored) => setSelectedId(restored.id)}
                />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <div className="min-h-0 min-w-0 flex-1 overflow-y-auto p-4">
        {selected ? (
          <div className="flex flex-col gap-3">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">Changes in version {selected.number}</span>
              {compare ? (
                <>
                  <span className="text-muted-foreground">compared with</span>
                  <Select value={compare.id} onValueChange={setCompareId}>
                    <SelectTrigger className="h-8 w-auto min-w-36" aria-label="Compare with version" data-testid="compare-version">
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      {others.map((version) => (
                        <SelectItem key={version.id} value={version.id}>
                          Version {version.number}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                </>
              ) : null}
            </div>
            {compare ? (
              <VersionDiff workspaceId={workspaceId} appId={appId} to={selected} from={compare} />
            ) : (
              <p className="text-[13px] text-muted-foreground">
                The first version: {pluralize(selected.fileCount, 'file')}, nothing to compare with.
              </p>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}
