import type { Run } from '@hangar/protocol';
import { useMemo } from 'react';
import { useRunStream } from '../use-run-stream';
import { RunFailedCallout, RunStoppedCallout } from './run-callouts';
import { RunFooter } from './run-footer';
import { buildTranscript, effectiveStatus, isTerminal, type TranscriptItem } from './transcript';
import { TranscriptBlock, UserBubble, type BlockContext } from './transcript-block';
import { useRunActions } from './use-run-actions';

type RunViewProps = { workspaceId: string; appId: string; run: Run; isLatest: boolean; canBuild: boolean };

/** One run in the chat: the prompt, everything the agent streamed, and its outcome. */
export function RunView({ workspaceId, appId, run, isLatest, canBuild }: RunViewProps) {
  const stream = useRunStream({ workspaceId, appId, runId: run.id });
  const items = useMemo(() => buildTranscript(stream.events), [stream.events]);
  const status = effectiveStatus(run, stream.events);
  const active = !isTerminal(status);
  const { stop, retry, decide } = useRunActions({ workspaceId, appId, runId: run.id });

  const lastPlan = items.findLast((item): item is Extract<TranscriptItem, { kind: 'plan' }> => item.kind === 'plan');
  const context: BlockContext = {
    active,
    canRetry: canBuild && isLatest && (status === 'failed' || status === 'stopped'),
    retrying: retry.isPending,
    onRetry: () => retry.mutate(),
    decidablePlanKey: canBuild && status === 'awaiting_approval' && !decide.isSuccess ? (lastPlan?.key ?? null) : null,
    deciding: decide.isPending,
    onDecide: (body) => decide.mutate(body),
  };

  // The Run is the source of truth when the stream has not (yet) told the story itself.
  const hasUser = items.some((item) => item.kind === 'user');
  const hasOutcome = items.some((item) => item.kind === 'failed' || item.kind === 'stopped');
  const retryProps = { canRetry: context.canRetry, retrying: context.retrying, onRetry: context.onRetry };

  return (
    <article className="flex flex-col gap-3" aria-label={`Run started ${run.createdAt}`} data-testid="run" data-run-id={run.id}>
      {hasUser ? null : <UserBubble text={run.prompt} />}
      {items.map((item) => (
        <TranscriptBlock key={item.key} item={item} context={context} />
      ))}
      {!hasOutcome && status === 'failed' ? <RunFailedCallout reason={run.failureReason ?? ''} {...retryProps} /> : null}
      {!hasOutcome && status === 'stopped' ? <RunStoppedCallout by={null} {...retryProps} /> : null}
      <RunFooter
        run={run}
        status={status}
        connected={stream.connected}
        streamError={stream.error}
        canStop={canBuild && active}
        stopping={stop.isPending}
        onStop={() => stop.mutate()}
      />
    </article>
  );
}
