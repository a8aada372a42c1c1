import type { DataScope } from '@hangar/protocol';
import { useQuery } from '@tanstack/react-query';
import { Database, Lock, RotateCw } from 'lucide-react';
import { useState } from 'react';
import { QueryError } from '../../components/query-error';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { Skeleton } from '../../components/ui/skeleton';
import { isApiError } from '../../lib/api';
import { dataCollectionsQuery } from '../../lib/queries';
import { CollectionList } from './collection-list';
import { DocumentsPanel } from './documents-panel';
import { ScopeSwitch } from './scope-switch';
import { failedWithNothing } from '../../lib/query-state';

type DataPaneProps = { workspaceId: string; appId: string; canWrite: boolean };

/** The data explorer: an app's collections and documents, live, in its draft or published scope. */
export function DataPane({ workspaceId, appId, canWrite }: DataPaneProps) {
  const [scope, setScope] = useState<DataScope>('draft');
  const [selected, setSelected] = useState<string | null>(null);
  const collections = useQuery(dataCollectionsQuery(workspaceId, appId, scope));
  const list = collections.data ?? [];
  const active = list.find((collection) => collection.name === selected)?.name ?? list[0]?.name ?? null;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-10 shrink-0 items-center gap-2 border-b bg-muted/30 px-3 text-xs text-muted-foreground">
        <Database className="size-3.5" aria-hidden />
        <span className="max-sm:hidden">App data</span>
        <ScopeSwitch
          value={scope}
          onChange={(next) => {
            setScope(next);
            setSelected(null);
          }}
        />
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto h-7"
          onClick={() => void collections.refetch()}
          loading={collections.isFetching && !collections.isPending}
          data-testid="data-refresh"
        >
          {collections.isFetching && !collections.isPending ? null : <RotateCw aria-hidden />}
          Refresh
        </Button>
      </div>
      {collections.isPending ? (
        <div className="grid flex-1 grid-cols-[11rem_1fr] gap-4 p-4" aria-busy aria-label="Loading collections">
          <Skeleton className="h-32" />
          <Skeleton />
        </div>
      ) : failedWithNothing(collections) ? (
        isApiError(collections.error) && collections.error.status === 403 ? (
          <div className="flex flex-1 items-center justify-center p-6" data-testid="data-forbidden">
            <EmptyState
              icon={Lock}
              title={`No access to ${scope} data`}
              description={
                scope === 'published'
                  ? 'Only people who may use the published app can read its data. Ask an admin, or switch back to Draft.'
                  : 'Your role cannot read the draft data of this app. Viewers see published data only.'
              }
              className="w-full max-w-md"
            />
          </div>
        ) : (
          <QueryError
            className="m-4"
            error={collections.error}
            what="collections"
            onRetry={() => collections.refetch()}
            retrying={collections.isFetching}
          />
        )
      ) : list.length === 0 || !active ? (
        <div className="flex flex-1 items-center justify-center p-6" data-testid="data-empty">
          <EmptyState
            icon={Database}
            title={scope === 'published' ? 'No published data yet' : 'No data yet'}
            description={
              scope === 'published'
                ? 'The published app has not stored anything yet, or the app is not published. Draft data stays separate.'
                : 'Records the app saves appear here live. Add one in the Preview to get started.'
            }
            className="w-full max-w-md"
          />
        </div>
      ) : (
        <div className="grid min-h-0 flex-1 grid-cols-[11rem_minmax(0,1fr)] max-sm:grid-cols-1">
          <div className="min-h-0 overflow-y-auto border-r max-sm:border-r-0 max-sm:border-b">
            <CollectionList collections={list} selected={active} onSelect={setSelected} />
          </div>
          <DocumentsPanel
            key={`${scope}/${active}`}
            workspaceId={workspaceId}
            appId={appId}
            scope={scope}
            collection={active}
            canWrite={canWrite}
          />
        </div>
      )}
    </div>
  );
}
