import type { AppDocument, DataFilter, DataScope } from '@hangar/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Filter, Radio, Search, SearchX } from 'lucide-react';
import { useMemo, useState, type FormEvent } from 'react';
import { QueryError } from '../../components/query-error';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Input } from '../../components/ui/input';
import { Skeleton } from '../../components/ui/skeleton';
import { pluralize } from '../../lib/format';
import { dataDocumentsQuery } from '../../lib/queries';
import { cn } from '../../lib/utils';
import { columnsOf, matchesSearch, parseFieldFilter } from './data-format';
import { DocumentDialog } from './document-dialog';
import { DocumentsTable } from './documents-table';
import { useLiveDocuments } from './use-live-documents';
import { failedWithNothing } from '../../lib/query-state';

const pollIntervalMs = 5_000;

type DocumentsPanelProps = { workspaceId: string; appId: string; scope: DataScope; collection: string; canWrite: boolean };

/** One collection's documents: search over loaded rows, an exact-match server filter, paging, live rows. */
export function DocumentsPanel({ workspaceId, appId, scope, collection, canWrite }: DocumentsPanelProps) {
  const [search, setSearch] = useState('');
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState<DataFilter | null>(null);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const query = dataDocumentsQuery(workspaceId, appId, scope, collection, filter);
  const live = useLiveDocuments({ workspaceId, appId, scope, collection, filter });
  // Without a live stream the rows are polled, so the table never silently goes stale.
  const documents = useInfiniteQuery({ ...query, refetchInterval: live.status === 'live' ? false : pollIntervalMs });

  const rows = useMemo(() => documents.data?.pages.flatMap((page) => page.items) ?? [], [documents.data]);
  const columns = useMemo(() => columnsOf(rows), [rows]);
  const shown = useMemo(() => rows.filter((row) => matchesSearch(row, search)), [rows, search]);
  const open: AppDocument | null = rows.find((row) => row._id === openId) ?? null;

  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseFieldFilter(filterText);
    setFilterError(parsed.error);
    if (!parsed.error) setFilter(parsed.filter);
  };

  return (
    <div className="flex min-h-0 flex-col">
      <div className="flex flex-wrap items-start gap-2 border-b px-3 py-2">
        <label className="relative min-w-40 flex-1">
          <span className="sr-only">Search loaded rows</span>
          <Search className="pointer-events-none absolute top-2 left-2.5 size-3.5 text-muted-foreground" aria-hidden />
          <Input
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Search loaded rows"
            className="h-8 pl-8 text-[13px]"
            data-testid="data-search"
          />
        </label>
        <form onSubmit={applyFilter} className="flex min-w-52 flex-1 flex-col gap-1">
          <div className="flex gap-1.5">
            <label className="relative flex-1">
              <span className="sr-only">Exact-match filter</span>
              <Filter className="pointer-events-none absolute top-2 left-2.5 size-3.5 text-muted-foreground" aria-hidden />
              <Input
                value={filterText}
                onChange={(event) => setFilterText(event.target.value)}
                placeholder="field = value"
                aria-invalid={filterError ? true : undefined}
                className="h-8 pl-8 font-mono text-xs"
                data-testid="data-filter"
              />
            </label>
            <Button type="submit" size="sm" variant="outline" className="h-8">
              Apply
            </Button>
          </div>
          {filterError ? <p className="text-xs text-destructive">{filterError}</p> : null}
        </form>
      </div>
      <div className="flex h-8 shrink-0 items-center gap-2 border-b px-3 text-xs text-muted-foreground">
        <span className="font-mono text-foreground">{collection}</span>
        {documents.data ? (
          <span>
            {search ? `${shown.length} of ` : ''}
            {pluralize(rows.length, 'row')} loaded{filter ? ' (filtered)' : ''}
          </span>
        ) : null}
        <span
          className={cn('ml-auto flex items-center gap-1', live.status === 'live' && 'text-success')}
          title={live.message}
          data-testid="data-live"
        >
          <Radio className="size-3" aria-hidden />
          {live.status === 'live' ? 'Live' : live.status === 'refused' ? 'Not live · refreshing every 5 s' : 'Connecting…'}
        </span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">
        {documents.isPending ? (
          <div className="flex flex-col gap-2 p-3" aria-busy aria-label="Loading documents">
            {[0, 1, 2, 3].map((index) => (
              <Skeleton key={index} className="h-8" />
            ))}
          </div>
        ) : failedWithNothing(documents) ? (
          <QueryError
            className="m-3"
            error={documents.error}
            what="documents"
            onRetry={() => documents.refetch()}
            retrying={documents.isFetching}
          />
        ) : shown.length === 0 ? (
          <EmptyState
            icon={SearchX}
            className="m-3"
            title={rows.length === 0 ? (filter ? 'No document matches the filter' : 'This collection is empty') : 'No loaded row matches'}
            description={
              rows.length === 0
                ? 'Clear the filter, or add documents from the app.'
                : 'Search looks at the loaded rows only; load more or use a filter.'
            }
          />
        ) : (
          <DocumentsTable rows={shown} columns={columns} onOpen={(document) => setOpenId(document._id)} />
        )}
        {documents.hasNextPage ? (
          <div className="flex justify-center p-3">
            <Button
              variant="outline"
              size="sm"
              loading={documents.isFetchingNextPage}
              onClick={() => void documents.fetchNextPage()}
              data-testid="data-load-more"
            >
              Load more
            </Button>
          </div>
        ) : null}
      </div>
      <DocumentDialog
        target={{ workspaceId, appId, scope, collection }}
        queryKey={query.queryKey}
        filter={filter}
        document={open}
        canWrite={canWrite}
        onClose={() => setOpenId(null)}
      />
    </div>
  );
}
