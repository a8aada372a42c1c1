import type { Run, RunStatus } from '@hangar/protocol';
import { ArrowDown } from 'lucide-react';
import { Button } from '../../../components/ui/button';
import { useRunStream } from '../use-run-stream';
import { FollowupComposer } from './followup-composer';
import { RunView } from './run-view';
import { effectiveStatus } from './transcript';
import { useStickToBottom } from './use-stick-to-bottom';

type ChatPanelProps = { workspaceId: string; appId: string; runs: Run[]; canBuild: boolean };

const blockedReasons: Partial<Record<RunStatus, string>> = {
  queued: 'A run is starting. You can send a follow-up when it finishes, or stop it.',
  running: 'The agent is working. You can send a follow-up when it finishes, or stop it.',
  awaiting_approval: 'Accept or amend the plan above first.',
};

/** The status of the newest run, from its stream when that is fresher than the fetched Run. */
function useLatestStatus(workspaceId: string, appId: string, latest: Run | undefined): RunStatus | null {
  const stream = useRunStream({ workspaceId, appId, runId: latest?.id ?? null });
  return latest ? effectiveStatus(latest, stream.events) : null;
}

/** The conversation with the builder: every run of the app in order, and a composer for follow-ups. */
export function ChatPanel({ workspaceId, appId, runs, canBuild }: ChatPanelProps) {
  const latest = runs.at(-1);
  const latestStatus = useLatestStatus(workspaceId, appId, latest);
  const { ref, atBottom, scrollToBottom } = useStickToBottom<HTMLDivElement>();

  return (
    <section aria-label="Chat with the builder" className="flex min-h-0 flex-1 flex-col">
      <div className="relative flex min-h-0 flex-1 flex-col">
        <div ref={ref} className="min-h-0 flex-1 overflow-y-auto px-4 py-4" data-testid="chat-scroll">
          <div className="flex flex-col gap-6">
            {runs.length === 0 ? <p className="text-center text-[13px] text-muted-foreground">No runs yet.</p> : null}
            {runs.map((run) => (
              <RunView
                key={run.id}
                workspaceId={workspaceId}
                appId={appId}
                run={run}
                isLatest={run.id === latest?.id}
                canBuild={canBuild}
              />
            ))}
          </div>
        </div>
        {atBottom ? null : (
          <Button
            size="sm"
            variant="outline"
            className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full shadow-md"
            onClick={() => scrollToBottom('smooth')}
          >
            <ArrowDown aria-hidden />
            Latest
          </Button>
        )}
      </div>
      {canBuild ? (
        <FollowupComposer
          workspaceId={workspaceId}
          appId={appId}
          blockedReason={latestStatus ? (blockedReasons[latestStatus] ?? null) : null}
          onSent={() => scrollToBottom()}
        />
      ) : null}
    </section>
  );
}
