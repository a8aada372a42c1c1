import type { RunEvent, RunEventType } from '@hangar/protocol';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { queryKeys } from '../../lib/queries';
import { runStreams, type RunStreamSnapshot } from './run-stream-manager';

/** Events after which the stored Run (status, plan, version) has changed. */
const runChangingEvents = new Set<RunEventType>([
  'run.started',
  'plan.proposed',
  'plan.decided',
  'version.created',
  'run.succeeded',
  'run.failed',
  'run.stopped',
]);

export const terminalEventTypes = new Set<RunEventType>(['run.succeeded', 'run.failed', 'run.stopped']);

const pendingRefreshes = new Map<string, number>();

/** Refetches an app, its runs and versions once per burst of events (a backlog replays many at once). */
function scheduleRefresh(queryClient: QueryClient, workspaceId: string, appId: string) {
  const key = `${workspaceId}/${appId}`;
  if (pendingRefreshes.has(key)) return;
  pendingRefreshes.set(
    key,
    window.setTimeout(() => {
      pendingRefreshes.delete(key);
      void queryClient.invalidateQueries({ queryKey: queryKeys.app(workspaceId, appId), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspaceId, appId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceId, appId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId), exact: true });
    }, 150),
  );
}

type RunStreamTarget = { workspaceId: string; appId: string; runId: string | null };

const idle: RunStreamSnapshot = { events: [], connected: false, error: null };
const noSubscription = () => () => undefined;

/**
 * The live events of a run (none while `runId` is null) over the tab's shared WebSocket: the backlog first, then live events,
 * in order and without duplicates across reconnects. When the run changes state, the cached app,
 * runs and versions are refetched, so statuses shown from the API never go stale.
 */
export function useRunStream({ workspaceId, appId, runId }: RunStreamTarget): RunStreamSnapshot {
  const queryClient = useQueryClient();
  const subscribe = useCallback(
    (notify: () => void) =>
      runId
        ? runStreams.acquire(workspaceId, runId, notify, (event: RunEvent) => {
            if (runChangingEvents.has(event.event.type)) scheduleRefresh(queryClient, workspaceId, appId);
          })
        : noSubscription(),
    [queryClient, workspaceId, appId, runId],
  );
  const getSnapshot = useCallback(() => (runId ? runStreams.snapshot(runId) : idle), [runId]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
