import type { PlanDecisionBody, Run } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useToast } from '../../../components/ui/toast';
import { api, errorMessage } from '../../../lib/api';
import { queryKeys } from '../../../lib/queries';

type RunTarget = { workspaceId: string; appId: string };

/** Puts a run the server just returned into the cached list of runs, then refetches what it changed. */
function useRunCache({ workspaceId, appId }: RunTarget) {
  const queryClient = useQueryClient();
  return async (run: Run) => {
    queryClient.setQueryData(queryKeys.runs(workspaceId, appId), (page: { items: Run[]; nextCursor: string | null } | undefined) => {
      if (!page) return page;
      const exists = page.items.some((item) => item.id === run.id);
      return { ...page, items: exists ? page.items.map((item) => (item.id === run.id ? run : item)) : [...page.items, run] };
    });
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspaceId, appId) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.app(workspaceId, appId), exact: true }),
      queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId), exact: true }),
    ]);
  };
}

/** Stop, retry and plan decisions of one run; failures are shown as toasts. */
export function useRunActions(target: RunTarget & { runId: string }) {
  const store = useRunCache(target);
  const toast = useToast();
  const onError = (what: string) => (error: unknown) => toast.show({ tone: 'error', title: what, description: errorMessage(error) });

  const stop = useMutation({
    mutationFn: () => api.stopRun(target.workspaceId, target.runId),
    onSuccess: store,
    onError: onError('Could not stop the run'),
  });
  const retry = useMutation({
    mutationFn: () => api.retryRun(target.workspaceId, target.runId),
    onSuccess: store,
    onError: onError('Could not retry the run'),
  });
  const decide = useMutation({
    mutationFn: (body: PlanDecisionBody) => api.decidePlan(target.workspaceId, target.runId, body),
    onSuccess: store,
    onError: onError('Could not send your decision'),
  });
  return { stop, retry, decide };
}

/** Sends a follow-up prompt, which starts a new run of the app. */
export function useSendMessage(target: RunTarget) {
  const store = useRunCache(target);
  return useMutation({
    mutationFn: (text: string) => api.sendMessage(target.workspaceId, target.appId, text),
    onSuccess: store,
  });
}
