import { useQuery } from '@tanstack/react-query';
import { QueryError } from '../../../components/query-error';
import { Skeleton } from '../../../components/ui/skeleton';
import { versionFileTextQuery } from '../../../lib/queries';

type CodeViewerProps = { workspaceId: string; appId: string; versionId: string; path: string };

/** One file of a version in monospace, with line numbers. */
export function CodeViewer({ workspaceId, appId, versionId, path }: CodeViewerProps) {
  const file = useQuery(versionFileTextQuery(workspaceId, appId, versionId, path));

  if (file.isPending) {
    return (
      <div className="flex flex-col gap-2 p-4" aria-busy aria-label="Loading file">
        <Skeleton className="h-4 w-2/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-4 w-3/5" />
      </div>
    );
  }
  if (file.isError) {
    return <QueryError className="m-4" error={file.error} what={path} onRetry={() => file.refetch()} retrying={file.isFetching} />;
  }

  const lines = file.data.text.replace(/\n$/, '').split('\n');
  const gutter = `${String(lines.length).length + 1}ch`;
  return (
    <pre className="min-h-full py-2 font-mono text-xs leading-5" data-testid="code-viewer" data-path={path}>
      <code className="block min-w-fit">
        {lines.map((line, index) => (
          <span key={index} className="flex hover:bg-muted/50">
            <span
              className="shrink-0 pr-3 text-right text-muted-foreground/60 select-none"
              style={{ width: gutter, minWidth: gutter }}
              aria-hidden
            >
              {index + 1}
            </span>
            <span className="pr-4 whitespace-pre">{line || ' '}</span>
          </span>
        ))}
      </code>
    </pre>
  );
}
