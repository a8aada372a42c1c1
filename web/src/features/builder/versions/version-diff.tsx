import type { AppVersion } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { Badge } from '../../../components/ui/badge';
import { QueryError } from '../../../components/query-error';
import { Skeleton } from '../../../components/ui/skeleton';
import { pluralize } from '../../../lib/format';
import { versionDiffQuery } from '../../../lib/queries';
import { CollapsibleSection } from '../chat/collapsible-section';
import { DiffView } from '../diff-view';

const changeBadges = {
  added: { label: 'Added', variant: 'success' },
  removed: { label: 'Removed', variant: 'destructive' },
  modified: { label: 'Modified', variant: 'default' },
} as const;

type VersionDiffProps = { workspaceId: string; appId: string; to: AppVersion; from: AppVersion };

/** What changed between two versions, file by file; build output (dist/) starts folded. */
export function VersionDiff({ workspaceId, appId, to, from }: VersionDiffProps) {
  const diff = useQuery(versionDiffQuery(workspaceId, appId, to.id, from.id));

  if (diff.isPending) {
    return (
      <div className="flex flex-col gap-2" aria-busy aria-label="Loading changes">
        <Skeleton className="h-8" />
        <Skeleton className="h-8" />
      </div>
    );
  }
  if (diff.isError) {
    return <QueryError error={diff.error} what="the changes" onRetry={() => diff.refetch()} retrying={diff.isFetching} />;
  }
  if (diff.data.files.length === 0) {
    return <p className="text-[13px] text-muted-foreground">These two versions have the same files.</p>;
  }

  const files = [...diff.data.files].sort(
    (a, b) => Number(a.path.startsWith('dist/')) - Number(b.path.startsWith('dist/')) || a.path.localeCompare(b.path),
  );
  return (
    <div className="flex flex-col gap-2" data-testid="version-diff">
      <p className="text-[13px] text-muted-foreground">{pluralize(files.length, 'file')} changed</p>
      {files.map((file) => {
        const badge = changeBadges[file.change];
        return (
          <div key={file.path} className="rounded-lg border bg-card px-3 py-2" data-testid="diff-file">
            <CollapsibleSection
              defaultOpen={!file.path.startsWith('dist/') && files.length <= 12}
              summaryClassName="text-foreground"
              summary={
                <span className="flex min-w-0 flex-1 items-center gap-2">
                  <span className="min-w-0 flex-1 truncate font-mono text-xs">{file.path}</span>
                  <Badge variant={badge.variant}>{badge.label}</Badge>
                </span>
              }
            >
              {file.diff ? (
                <DiffView diff={file.diff} className="max-h-[28rem] overflow-y-auto" />
              ) : (
                <p className="text-xs text-muted-foreground">No text diff for this file (binary or too large).</p>
              )}
            </CollapsibleSection>
          </div>
        );
      })}
    </div>
  );
}
