import type { BridgeAgentRun, Run, RunEvent, RunStatus } from '@hangar/protocol';

/**
 * An agent run's state as the app sees it (`BridgeAgentRun`), folded from the run's events.
 * The fold never goes back: a backlog replayed after a live event (a shared stream, a
 * reconnect) cannot turn a finished run into a running one.
 */

const rank: Record<RunStatus, number> = { queued: 0, running: 1, awaiting_approval: 1, succeeded: 2, failed: 2, stopped: 2 };
const maxResult = 4000;

const clip = (text: string) => (text.length > maxResult ? `${text.slice(0, maxResult - 1)}…` : text);

/** The state of a run the REST API just answered (`POST …/agents/:agentId/runs`). */
export function agentRunFromRun(run: Run, agentId: string): BridgeAgentRun {
  return {
    runId: run.id,
    agentId,
    status: run.status,
    result: null,
    error: run.status === 'failed' ? { code: 'agent_failed', message: clip(run.failureReason ?? 'The run failed.') } : null,
  };
}

/** The state after one event; the same object when the event changes nothing the app sees. */
export function applyRunEvent(state: BridgeAgentRun, stored: RunEvent): BridgeAgentRun {
  const { event } = stored;
  let next: Pick<BridgeAgentRun, 'status' | 'result' | 'error'> | null = null;
  switch (event.type) {
    case 'run.queued':
      next = { status: 'queued', result: null, error: null };
      break;
    case 'run.started':
    case 'agent.call_decided':
      next = { status: 'running', result: null, error: null };
      break;
    case 'agent.call_approval_requested':
      next = { status: 'awaiting_approval', result: null, error: null };
      break;
    case 'run.succeeded':
      next = { status: 'succeeded', result: clip(event.summary), error: null };
      break;
    case 'run.failed':
      next = { status: 'failed', result: null, error: { code: 'agent_failed', message: clip(event.reason) } };
      break;
    case 'run.stopped':
      next = { status: 'stopped', result: null, error: { code: 'agent_stopped', message: 'The run was stopped.' } };
      break;
    default:
      return state;
  }
  if (rank[next.status] < rank[state.status]) return state;
  if (rank[state.status] === 2) return state; // a finished run stays as it finished
  if (next.status === state.status && next.result === state.result && next.error?.message === state.error?.message) return state;
  return { ...state, ...next };
}

/** A run's state from its first events (the backlog starts with `run.queued`). */
export function agentRunFromEvents(runId: string, agentId: string, events: readonly RunEvent[]): BridgeAgentRun | null {
  if (events.length === 0) return null;
  let state: BridgeAgentRun = { runId, agentId, status: 'queued', result: null, error: null };
  for (const event of events) state = applyRunEvent(state, event);
  return state;
}
