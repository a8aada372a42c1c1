import { terminalRunStatuses, type PlanCard, type Run, type RunEvent, type RunStatus } from '@hangar/protocol';

export type ToolResult = { ok: boolean; summary: string; diff?: string | undefined; output?: string | undefined };

/** One block of a run's transcript, folded from its events. */
export type TranscriptItem =
  | { kind: 'user'; key: string; text: string }
  | { kind: 'text'; key: string; text: string }
  | { kind: 'reasoning'; key: string; text: string }
  | { kind: 'tool'; key: string; name: string; input: unknown; result: ToolResult | null }
  | { kind: 'plan'; key: string; plan: PlanCard }
  | { kind: 'plan-decision'; key: string; decision: 'accepted' | 'amended'; note?: string | undefined }
  | { kind: 'build'; key: string; ok: boolean; typecheckErrors: string; buildErrors: string; durationMs: number }
  | { kind: 'version'; key: string; versionId: string; number: number; fileCount: number }
  | { kind: 'succeeded'; key: string; summary: string }
  | { kind: 'failed'; key: string; reason: string; retryable: boolean }
  | { kind: 'model-retry'; key: string; reason: string; attempt: number; maxAttempts: number; delayMs: number }
  | { kind: 'stopped'; key: string; by: string };

/**
 * Folds a run's events into display blocks: consecutive text and reasoning deltas become one
 * block each, and a tool's start and finish become one card.
 */
/** Tools whose outcome has its own card (the plan card, the build card): their finished tool card would repeat it. */
const shownElsewhere = new Set(['present_plan', 'done_building']);

export function buildTranscript(events: readonly RunEvent[]): TranscriptItem[] {
  return foldEvents(events).filter((item) => !(item.kind === 'tool' && item.result !== null && shownElsewhere.has(item.name)));
}

function foldEvents(events: readonly RunEvent[]): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  const tools = new Map<string, Extract<TranscriptItem, { kind: 'tool' }>>();

  for (const { id, event } of events) {
    const last = items.at(-1);
    switch (event.type) {
      case 'message.user':
        items.push({ kind: 'user', key: id, text: event.text });
        break;
      case 'text.delta':
      case 'reasoning.delta': {
        const kind = event.type === 'text.delta' ? 'text' : 'reasoning';
        if (last?.kind === kind) items[items.length - 1] = { ...last, text: last.text + event.text };
        else items.push({ kind, key: id, text: event.text });
        break;
      }
      case 'tool.started': {
        const tool = { kind: 'tool' as const, key: id, name: event.name, input: event.input, result: null };
        tools.set(event.callId, tool);
        items.push(tool);
        break;
      }
      case 'tool.finished': {
        const result: ToolResult = { ok: event.ok, summary: event.summary, diff: event.diff, output: event.output };
        const started = tools.get(event.callId);
        const index = started ? items.indexOf(started) : -1;
        if (started && index >= 0) {
          const finished = { ...started, result };
          items[index] = finished;
          tools.set(event.callId, finished);
        } else items.push({ kind: 'tool', key: id, name: event.name, input: undefined, result });
        break;
      }
      case 'plan.proposed':
        items.push({ kind: 'plan', key: id, plan: event.plan });
        break;
      case 'plan.decided':
        items.push({ kind: 'plan-decision', key: id, decision: event.decision, note: event.note });
        break;
      case 'build.finished':
        items.push({
          kind: 'build',
          key: id,
          ok: event.ok,
          typecheckErrors: event.typecheckErrors,
          buildErrors: event.buildErrors,
          durationMs: event.durationMs,
        });
        break;
      case 'version.created':
        items.push({ kind: 'version', key: id, versionId: event.versionId, number: event.number, fileCount: event.fileCount });
        break;
      case 'run.succeeded': {
        // Agents often end with the same words they just streamed; they are not shown twice.
        const lastText = items.findLast((item) => item.kind === 'text');
        const repeated = lastText?.kind === 'text' && lastText.text.trim() === event.summary.trim();
        items.push({ kind: 'succeeded', key: id, summary: repeated ? '' : event.summary });
        break;
      }
      case 'run.failed':
        items.push({ kind: 'failed', key: id, reason: event.reason, retryable: event.retryable });
        break;
      case 'run.stopped':
        items.push({ kind: 'stopped', key: id, by: event.by });
        break;
      case 'model.retrying':
        // The interrupted attempt's partial answer is streamed again by the retry: drop it.
        while (items.at(-1)?.kind === 'text' || items.at(-1)?.kind === 'reasoning') items.pop();
        items.push({ kind: 'model-retry', key: id, reason: event.reason, attempt: event.attempt, maxAttempts: event.maxAttempts, delayMs: event.delayMs });
        break;
      case 'run.queued':
      case 'run.started':
      case 'usage':
        break;
      // Only app-agent runs have call approvals; the builder chat never shows those runs.
      case 'agent.call_approval_requested':
      case 'agent.call_decided':
        break;
      default: {
        const unexpected: never = event;
        void unexpected;
      }
    }
  }
  return items;
}

/** The status the events say the run reached, if any event says so. */
function streamedStatus(events: readonly RunEvent[]): RunStatus | null {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const type = events[index]?.event.type;
    if (type === 'run.succeeded') return 'succeeded';
    if (type === 'run.failed') return 'failed';
    if (type === 'run.stopped') return 'stopped';
    if (type === 'plan.proposed') return 'awaiting_approval';
    if (type === 'run.started' || type === 'plan.decided') return 'running';
  }
  return null;
}

/**
 * What to show as the run's status: a finished Run is final; otherwise the stream is usually
 * fresher than the last fetch of the Run (which is refetched right after).
 */
export function effectiveStatus(run: Run, events: readonly RunEvent[]): RunStatus {
  if (isTerminal(run.status)) return run.status;
  return streamedStatus(events) ?? run.status;
}

export function isTerminal(status: RunStatus): boolean {
  return terminalRunStatuses.includes(status);
}
