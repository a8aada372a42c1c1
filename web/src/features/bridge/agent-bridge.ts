import type { AgentCatalog, AgentRunInput, BridgeAgentRun, DataScope, Run, RunEvent } from '@hangar/protocol';
import { BridgeFailure } from './bridge-messages';
import { agentRunFromRun, applyRunEvent } from './agent-run-state';

/** The agent calls the bridge makes, as the signed-in person (the app itself holds no credentials). */
export type BridgeAgentClient = {
  listAgentCatalog: (workspaceId: string, appId: string, scope: DataScope) => Promise<AgentCatalog>;
  startAgentRun: (workspaceId: string, appId: string, agentId: string, input: AgentRunInput, scope: DataScope) => Promise<Run>;
};

/**
 * The run streams the bridge follows: every event of a run, from its first, then live; `onEnd`
 * when the server refuses or ends the stream (access removed). Returns the function that leaves it.
 */
export type BridgeRunStreams = {
  follow: (workspaceId: string, runId: string, onEvent: (event: RunEvent) => void, onEnd: (reason: string) => void) => () => void;
};

/** Which run this browser last started of each agent, so a reloaded app re-attaches to it. */
export type AgentRunMemory = {
  get: (agentId: string) => string | null;
  set: (agentId: string, runId: string) => void;
  forget: (agentId: string, runId: string) => void;
};

export type AgentBridgeOptions = {
  workspaceId: string;
  appId: string;
  scope: DataScope;
  client: BridgeAgentClient;
  runs: BridgeRunStreams;
  memory: AgentRunMemory;
  /** Posts a changed state into the app. */
  push: (run: BridgeAgentRun) => void;
};

type Watch = {
  agentId: string;
  state: BridgeAgentRun | null;
  seen: Set<string>;
  release: () => void;
  /** Watch requests waiting for the run's first state. */
  waiters: ((outcome: { state: BridgeAgentRun } | { ended: string }) => void)[];
};

/**
 * The app-agent half of the bridge host: lists the agents, starts runs through the REST API and
 * follows each watched run's events over the console's WebSocket, pushing every change of its
 * status, result or error into the app. A stream the server ends (access removed) is pushed as
 * the run's error and no longer followed.
 */
export class AgentBridge {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly options: AgentBridgeOptions) {}

  async listAgents(): Promise<AgentCatalog> {
    const { workspaceId, appId, scope, client } = this.options;
    return client.listAgentCatalog(workspaceId, appId, scope);
  }

  async trigger(agentId: string, input: AgentRunInput): Promise<BridgeAgentRun> {
    const { workspaceId, appId, scope, client, memory } = this.options;
    const run = await client.startAgentRun(workspaceId, appId, agentId, input, scope);
    memory.set(agentId, run.id);
    const watch = this.follow(run.id, agentId, agentRunFromRun(run, agentId));
    return watch.state ?? agentRunFromRun(run, agentId);
  }

  /** Answers the run's state once known; null when there is no run to show. */
  async watch(agentId: string, runId: string | undefined): Promise<BridgeAgentRun | null> {
    const remembered = runId === undefined;
    const id = runId ?? this.options.memory.get(agentId);
    if (!id) return null;
    const existing = this.watches.get(id);
    if (existing && existing.agentId !== agentId) throw new BridgeFailure('not_found', 'That run is not a run of this agent.');
    const watch = existing ?? this.follow(id, agentId, null);
    if (watch.state) return watch.state;
    const outcome = await new Promise<{ state: BridgeAgentRun } | { ended: string }>((resolve) => watch.waiters.push(resolve));
    if ('state' in outcome) return outcome.state;
    // A remembered run this person may no longer see (or another identity's) is simply not shown.
    if (remembered) {
      this.options.memory.forget(agentId, id);
      return null;
    }
    throw new BridgeFailure('forbidden', outcome.ended);
  }

  unwatch(runId: string): null {
    this.stop(runId);
    return null;
  }

  /** Stops following every run (the app reloaded, or the preview closed). */
  releaseAll(): void {
    for (const runId of [...this.watches.keys()]) this.stop(runId);
  }

  private follow(runId: string, agentId: string, initial: BridgeAgentRun | null): Watch {
    const existing = this.watches.get(runId);
    if (existing) return existing;
    const watch: Watch = { agentId, state: initial, seen: new Set(), release: () => undefined, waiters: [] };
    this.watches.set(runId, watch);
    const release = this.options.runs.follow(
      this.options.workspaceId,
      runId,
      (event) => this.receive(runId, watch, event),
      (reason) => this.ended(runId, watch, reason),
    );
    // The stream may end while it is being joined (a refusal it already knew): leave it at once.
    if (this.watches.get(runId) === watch) watch.release = release;
    else release();
    return watch;
  }

  private receive(runId: string, watch: Watch, event: RunEvent) {
    if (this.watches.get(runId) !== watch || watch.seen.has(event.id)) return;
    watch.seen.add(event.id);
    const before = watch.state ?? { runId, agentId: watch.agentId, status: 'queued', result: null, error: null };
    const after = applyRunEvent(before, event);
    if (watch.state !== null && after === before) return;
    watch.state = after;
    if (watch.waiters.length > 0) {
      for (const resolve of watch.waiters.splice(0)) resolve({ state: after });
      return;
    }
    this.options.push(after);
  }

  private ended(runId: string, watch: Watch, reason: string) {
    if (this.watches.get(runId) !== watch) return;
    this.stop(runId);
    if (watch.waiters.length > 0) {
      for (const resolve of watch.waiters.splice(0)) resolve({ ended: reason });
      return;
    }
    if (watch.state) this.options.push({ ...watch.state, error: { code: 'forbidden', message: reason.slice(0, 4000) } });
  }

  private stop(runId: string) {
    const watch = this.watches.get(runId);
    if (!watch) return;
    this.watches.delete(runId);
    watch.release();
  }
}
