import type { RunEvent } from '@hangar/protocol';
import { buildTranscript, type TranscriptItem } from '../builder/chat/transcript';

/** A block of an app-agent run: the builder's transcript blocks, plus the rule-of-two call approvals. */
export type AgentTranscriptItem =
  | TranscriptItem
  | { kind: 'call-approval'; key: string; approvalId: string; tool: string; host: string | null; preview: Record<string, unknown> }
  | { kind: 'call-decision'; key: string; approvalId: string; decision: 'approved' | 'rejected'; by: string };

/**
 * The builder's fold of run events (text, reasoning, tool cards, outcome), with the call
 * approvals an agent run adds put back in the order they happened.
 */
export function buildAgentTranscript(events: readonly RunEvent[]): AgentTranscriptItem[] {
  const order = new Map(events.map((event, index) => [event.id, index]));
  const items: AgentTranscriptItem[] = [...buildTranscript(events)];
  for (const { id, event } of events) {
    if (event.type === 'agent.call_approval_requested')
      items.push({
        kind: 'call-approval',
        key: id,
        approvalId: event.approvalId,
        tool: event.tool,
        host: event.host,
        preview: event.preview,
      });
    else if (event.type === 'agent.call_decided')
      items.push({ kind: 'call-decision', key: id, approvalId: event.approvalId, decision: event.decision, by: event.by });
  }
  return items.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
}
