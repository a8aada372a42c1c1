import type { PlanDecisionBody } from '@hangar/protocol';
import { Brain, Check, Hourglass, PencilLine } from 'lucide-react';
import { AssistantText } from './assistant-text';
import { BuildResultCard } from './build-result-card';
import { CollapsibleSection } from './collapsible-section';
import { PlanCard } from './plan-card';
import { RunFailedCallout, RunStoppedCallout, RunSucceededNote, VersionChip, type RetryProps } from './run-callouts';
import { ToolCard } from './tool-card';
import type { TranscriptItem } from './transcript';

export type BlockContext = RetryProps & {
  /** Whether the run is still going (tools without a result are still running). */
  active: boolean;
  /** The key of the plan that can still be accepted or amended, if any. */
  decidablePlanKey: string | null;
  deciding: boolean;
  onDecide: (body: PlanDecisionBody) => void;
};

/** The user's prompt, on the right. */
export function UserBubble({ text }: { text: string }) {
  return (
    <div className="flex justify-end">
      <p
        data-testid="chat-message-user"
        className="max-w-[85%] rounded-2xl rounded-br-md bg-primary px-3.5 py-2 text-sm whitespace-pre-wrap text-primary-foreground"
      >
        {text}
      </p>
    </div>
  );
}

/** One block of a run's transcript. */
export function TranscriptBlock({ item, context }: { item: TranscriptItem; context: BlockContext }) {
  switch (item.kind) {
    case 'user':
      return <UserBubble text={item.text} />;
    case 'text':
      return <AssistantText text={item.text} testId="chat-assistant-text" />;
    case 'reasoning':
      return (
        <CollapsibleSection
          summary={
            <>
              <Brain className="size-3.5" aria-hidden /> Reasoning
            </>
          }
          summaryClassName="w-fit"
        >
          <p className="border-l-2 pl-3 text-[13px] whitespace-pre-wrap text-muted-foreground italic">{item.text}</p>
        </CollapsibleSection>
      );
    case 'tool':
      return <ToolCard name={item.name} input={item.input} result={item.result} active={context.active} />;
    case 'plan':
      return (
        <PlanCard
          plan={item.plan}
          decidable={context.decidablePlanKey === item.key}
          deciding={context.deciding}
          onDecide={context.onDecide}
        />
      );
    case 'plan-decision':
      return (
        <p className="flex items-start gap-1.5 text-[13px] text-muted-foreground">
          {item.decision === 'accepted' ? (
            <Check className="mt-0.5 size-3.5 text-success" aria-hidden />
          ) : (
            <PencilLine className="mt-0.5 size-3.5" aria-hidden />
          )}
          <span>{item.decision === 'accepted' ? 'Plan accepted' : `Plan amended${item.note ? `: “${item.note}”` : ''}`}</span>
        </p>
      );
    case 'build':
      return (
        <BuildResultCard ok={item.ok} typecheckErrors={item.typecheckErrors} buildErrors={item.buildErrors} durationMs={item.durationMs} />
      );
    case 'version':
      return <VersionChip number={item.number} fileCount={item.fileCount} />;
    case 'succeeded':
      return <RunSucceededNote summary={item.summary} />;
    case 'failed':
      return <RunFailedCallout reason={item.reason} canRetry={context.canRetry} retrying={context.retrying} onRetry={context.onRetry} />;
    case 'model-retry':
      return (
        <p data-testid="chat-model-retry" className="flex items-start gap-1.5 text-[13px] text-muted-foreground">
          <Hourglass className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          <span>
            {item.reason} Trying again in {Math.max(1, Math.round(item.delayMs / 1000))} s (attempt {item.attempt + 1} of {item.maxAttempts}).
          </span>
        </p>
      );
    case 'stopped':
      return <RunStoppedCallout by={item.by} canRetry={context.canRetry} retrying={context.retrying} onRetry={context.onRetry} />;
    default: {
      const unexpected: never = item;
      return unexpected;
    }
  }
}
