import { useQuery } from '@tanstack/react-query';
import { Skeleton } from '../../components/ui/skeleton';
import { pluralize } from '../../lib/format';
import { versionFilesQuery } from '../../lib/queries';

/** The source files of a version that has nothing published to compare with (build output left out). */
export function VersionFileList({ workspaceId, appId, versionId }: { workspaceId: string; appId: string; versionId: string }) {
  const files = useQuery(versionFilesQuery(workspaceId, appId, versionId));
  if (files.isPending) return <Skeleton className="h-16" />;
  if (files.isError) return <p className="text-sm text-destructive">The file list could not be loaded.</p>;
  const sources = files.data.filter((file) => !file.path.startsWith('dist/'));
  return (
    <div className="flex flex-col gap-1 text-sm">
      <p className="text-muted-foreground">
        {pluralize(sources.length, 'source file')} and {pluralize(files.data.length - sources.length, 'build file')}; open the app to read the code.
      </p>
      <ul className="grid gap-x-4 font-mono text-xs sm:grid-cols-2" data-testid="review-files">
        {sources.slice(0, 30).map((file) => (
          <li key={file.path} className="truncate">
            {file.path}
          </li>
        ))}
      </ul>
      {sources.length > 30 ? <p className="text-xs text-muted-foreground">…and {sources.length - 30} more.</p> : null}
    </div>
  );
}
