import type { DataFilter, DataPage, DataScope } from '@hangar/protocol';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { dataDocumentsQuery, queryKeys } from '../../lib/queries';
import { dataStreams } from '../bridge/data-stream-manager';
import { applyChange } from './data-format';

export type LiveState = { status: 'connecting' | 'live' | 'refused'; message?: string };

type LiveTarget = { workspaceId: string; appId: string; scope: DataScope; collection: string | null; filter: DataFilter | null };

/**
 * Keeps the loaded pages of a collection live: changes pushed over the WebSocket update rows in
 * place, and a resync (gap, new epoch, reconnect) reloads the collection and the counts.
 */
export function useLiveDocuments({ workspaceId, appId, scope, collection, filter }: LiveTarget): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: 'connecting' });

  useEffect(() => {
    if (!collection) return;
    setState({ status: 'connecting' });
    const documentsKey = dataDocumentsQuery(workspaceId, appId, scope, collection, filter).queryKey;
    let countsTimer: number | undefined;
    const refreshCounts = () => {
      window.clearTimeout(countsTimer);
      countsTimer = window.setTimeout(
        () => void queryClient.invalidateQueries({ queryKey: queryKeys.dataCollections(workspaceId, appId, scope) }),
        300,
      );
    };
    let first = true;
    const release = dataStreams.acquire({ workspaceId, appId, scope, collection }, (event) => {
      switch (event.type) {
        case 'subscribed':
          setState({ status: 'live' });
          // Writes between the first page load and the subscription would otherwise be missed.
          if (first && queryClient.getQueryState(documentsKey)?.status === 'success')
            void queryClient.invalidateQueries({ queryKey: documentsKey });
          first = false;
          return;
        case 'change':
          queryClient.setQueryData<InfiniteData<DataPage, string | null>>(documentsKey, (data) =>
            data ? { ...data, pages: applyChange(data.pages, event.change, filter) } : data,
          );
          if (event.change.operation !== 'update') refreshCounts();
          return;
        // A document too large to push (reload) is read again with the collection's pages.
        case 'reload':
        case 'resync':
          void queryClient.invalidateQueries({ queryKey: queryKeys.dataDocuments(workspaceId, appId, scope, collection) });
          refreshCounts();
          return;
        case 'error':
          setState({ status: 'refused', message: event.message });
          return;
      }
    });
    return () => {
      window.clearTimeout(countsTimer);
      release();
    };
  }, [queryClient, workspaceId, appId, scope, collection, filter]);

  return collection ? state : { status: 'connecting' };
}
