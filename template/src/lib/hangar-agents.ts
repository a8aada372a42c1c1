import { decodeAgentList, decodeAgentRun } from './hangar-bridge-codec';
import type { BridgeAgentRun, BridgeAgentSummary, BridgeRunStatus } from './hangar-bridge-protocol';
import type { BridgeConnection } from './hangar-connection';
import { HangarError } from './hangar-error';

/**
 * App agents over the bridge, without React: the list of the app's agents, and one live state per
 * agent that `trigger` starts and the console's run stream keeps current. The console runs the
 * agent as the signed-in person through the REST API and follows the run's events over its
 * WebSocket; the app only ever sees the run's status, its summary and why it failed.
 */

/** An agent of this app, as `useAgentList` shows it. */
export type AgentSummary = BridgeAgentSummary;

/** `idle` before any run; `starting` while the console starts one; then the run's own status. */
export type AgentStatus = 'idle' | 'starting' | BridgeRunStatus;

export type AgentSnapshot = {
  status: AgentStatus;
  /** The run shown: the one `trigger` started, the one passed in, or the last one this browser started of this agent. */
  runId: string | null;
  /** The agent's summary once the run succeeded. */
  result: string | null;
  /** Why the trigger was refused (limits, access), why the run failed, or why it is no longer followed. */
  error: HangarError | null;
};

export type AgentListSnapshot = { data: AgentSummary[]; loading: boolean; error: HangarError | null };

export type AgentHandle = {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => AgentSnapshot;
  trigger: (input?: Record<string, unknown>) => Promise<string | null>;
};

/** The largest trigger input the control plane accepts (`AgentRunInput`). */
export const MAX_AGENT_INPUT_BYTES = 16 * 1024;

const terminal = new Set<AgentStatus>(['succeeded', 'failed', 'stopped']);
const idleAgent: AgentSnapshot = Object.freeze({ status: 'idle', runId: null, result: null, error: null });
const idleList: AgentListSnapshot = Object.freeze({ data: [], loading: true, error: null });

/** True once the run ended (succeeded, failed or stopped). */
export function isAgentRunFinished(status: AgentStatus): boolean {
  return terminal.has(status);
}

type AgentEntry = {
  key: string;
  agentId: string;
  /** Set by the app (`useAgent(id, { runId })`): follow that run instead of the last one. */
  givenRunId: string | null;
  listeners: Set<() => void>;
  snapshot: AgentSnapshot;
  /** Bumped by every trigger and by teardown: late answers of older ones are dropped. */
  generation: number;
};

function runError(run: BridgeAgentRun): HangarError | null {
  if (!run.error) return null;
  if (run.error.code === 'agent_failed' || run.error.code === 'agent_stopped') return new HangarError(run.error.code, run.error.message);
  return HangarError.fromBridge(run.error, false);
}

function triggerError(error: unknown): HangarError {
  if (!(error instanceof HangarError)) return HangarError.from(error);
  // The connection maps input errors of reads to `invalid_query`; for a trigger they are about its input.
  return error.code === 'invalid_query' ? new HangarError('invalid_input', error.message) : error;
}

function checkInput(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HangarError('invalid_input', 'An agent’s input must be an object, like { company: "Acme" }.');
  }
  let text: string;
  try {
    text = JSON.stringify(input);
  } catch {
    throw new HangarError('invalid_input', 'An agent’s input must be plain JSON.');
  }
  if (new TextEncoder().encode(text).byteLength > MAX_AGENT_INPUT_BYTES) {
    throw new HangarError('invalid_input', `An agent’s input may be at most ${MAX_AGENT_INPUT_BYTES / 1024} KB.`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

export class HangarAgents {
  readonly #connection: BridgeConnection;
  readonly #disconnected: string | null;
  readonly #entries = new Map<string, AgentEntry>();
  /** How many entries show each run: the console is told to stop following it when none does. */
  readonly #watched = new Map<string, number>();
  #list: { listeners: Set<() => void>; snapshot: AgentListSnapshot; generation: number } | null = null;

  constructor(connection: BridgeConnection, disconnected: string | null) {
    this.#connection = connection;
    this.#disconnected = disconnected;
  }

  /** The app's agents (`useAgentList`), loaded when first watched and shared by every watcher. */
  list(): { subscribe: (listener: () => void) => () => void; getSnapshot: () => AgentListSnapshot; reload: () => void } {
    return {
      subscribe: (listener) => {
        if (!this.#list) {
          this.#list = { listeners: new Set(), snapshot: idleList, generation: 0 };
          this.#loadList();
        }
        const list = this.#list;
        list.listeners.add(listener);
        return () => {
          list.listeners.delete(listener);
          queueMicrotask(() => {
            if (list.listeners.size === 0 && this.#list === list) this.#list = null;
          });
        };
      },
      getSnapshot: () => this.#list?.snapshot ?? idleList,
      reload: () => {
        if (this.#list) this.#loadList();
      },
    };
  }

  /** One agent's live state (`useAgent`); every watcher of the same agent and run shares it. */
  agent(agentId: string, runId?: string | null): AgentHandle {
    const key = JSON.stringify([agentId, runId ?? null]);
    return {
      subscribe: (listener) => this.#watch(key, agentId, runId ?? null, listener),
      getSnapshot: () => this.#entries.get(key)?.snapshot ?? idleAgent,
      trigger: (input = {}) => this.#trigger(key, input),
    };
  }

  /** A pushed `agentRun`: updates every entry that shows that run. */
  receive(run: BridgeAgentRun): void {
    for (const entry of this.#entries.values()) {
      if (entry.snapshot.runId === run.runId) this.#show(entry, run);
    }
  }

  // ── the list ──────────────────────────────────────────────────────────────

  #loadList(): void {
    const list = this.#list;
    if (!list) return;
    const generation = ++list.generation;
    const settle = (snapshot: AgentListSnapshot) => {
      if (this.#list !== list || generation !== list.generation) return;
      list.snapshot = snapshot;
      for (const listener of [...list.listeners]) listener();
    };
    if (list.snapshot !== idleList) settle({ ...list.snapshot, loading: true });
    this.#connection.request({ op: 'listAgents' }).then(
      (result) => {
        const agents = decodeAgentList(result);
        if (agents) settle({ data: agents, loading: false, error: null });
        else
          settle({ data: [], loading: false, error: new HangarError('unavailable', 'The console answered "listAgents" without a list.') });
      },
      (error: unknown) => settle({ data: [], loading: false, error: HangarError.from(error) }),
    );
  }

  // ── one agent ─────────────────────────────────────────────────────────────

  #watch(key: string, agentId: string, givenRunId: string | null, listener: () => void): () => void {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { key, agentId, givenRunId, listeners: new Set(), snapshot: idleAgent, generation: 0 };
      this.#entries.set(key, entry);
      this.#attach(entry);
    }
    const watched = entry;
    const notify = () => listener();
    watched.listeners.add(notify);
    return () => {
      watched.listeners.delete(notify);
      // Released a moment later, so a remount in the same task (React StrictMode) keeps the entry.
      queueMicrotask(() => {
        if (watched.listeners.size > 0 || this.#entries.get(key) !== watched) return;
        watched.generation += 1;
        this.#entries.delete(key);
        this.#release(watched.snapshot.runId);
      });
    };
  }

  /** Asks the console for the run to show: the given one, or the last one this browser started of the agent. */
  #attach(entry: AgentEntry): void {
    if (this.#disconnected) return;
    const generation = entry.generation;
    const body = entry.givenRunId
      ? { op: 'watchAgentRun' as const, agentId: entry.agentId, runId: entry.givenRunId }
      : { op: 'watchAgentRun' as const, agentId: entry.agentId };
    this.#connection.request(body).then(
      (result) => {
        if (generation !== entry.generation || this.#entries.get(entry.key) !== entry) {
          // A trigger (or teardown) came first; the console still follows the run it answered.
          const late = decodeAgentRun(result);
          if (late) this.#forgetAnswered(late.runId);
          return;
        }
        const run = result === null ? null : decodeAgentRun(result);
        if (run) {
          this.#hold(run.runId);
          this.#show(entry, run);
        }
      },
      (error: unknown) => {
        if (generation !== entry.generation || this.#entries.get(entry.key) !== entry) return;
        this.#set(entry, { ...entry.snapshot, error: HangarError.from(error) });
      },
    );
  }

  async #trigger(key: string, input: unknown): Promise<string | null> {
    const entry = this.#entries.get(key);
    if (!entry) return null; // only a watched agent (a mounted `useAgent`) shows what its trigger does
    let body: Record<string, unknown>;
    try {
      if (this.#disconnected) throw new HangarError('unavailable', this.#disconnected);
      body = checkInput(input);
    } catch (error) {
      this.#set(entry, { ...entry.snapshot, error: HangarError.from(error) });
      return null;
    }
    const generation = ++entry.generation;
    const previous = entry.snapshot.runId;
    this.#set(entry, { status: 'starting', runId: null, result: null, error: null });
    this.#release(previous);
    const current = () => generation === entry.generation && this.#entries.get(key) === entry;
    try {
      const run = decodeAgentRun(await this.#connection.request({ op: 'triggerAgent', agentId: entry.agentId, input: body }));
      if (!run) throw new HangarError('unavailable', 'The console answered "triggerAgent" without a run.');
      if (!current()) {
        // A newer trigger replaced it, or the hook unmounted: the run goes on, unfollowed here.
        this.#forgetAnswered(run.runId);
        return run.runId;
      }
      this.#hold(run.runId);
      this.#show(entry, run);
      return run.runId;
    } catch (error) {
      if (current()) this.#set(entry, { status: 'idle', runId: null, result: null, error: triggerError(error) });
      return null;
    }
  }

  #show(entry: AgentEntry, run: BridgeAgentRun): void {
    this.#set(entry, { status: run.status, runId: run.runId, result: run.result, error: runError(run) });
  }

  #set(entry: AgentEntry, next: AgentSnapshot): void {
    const previous = entry.snapshot;
    if (
      previous.status === next.status &&
      previous.runId === next.runId &&
      previous.result === next.result &&
      previous.error?.code === next.error?.code &&
      previous.error?.message === next.error?.message
    )
      return;
    entry.snapshot = next;
    for (const listener of [...entry.listeners]) listener();
  }

  #hold(runId: string): void {
    this.#watched.set(runId, (this.#watched.get(runId) ?? 0) + 1);
  }

  #release(runId: string | null): void {
    if (!runId) return;
    const count = (this.#watched.get(runId) ?? 0) - 1;
    if (count > 0) {
      this.#watched.set(runId, count);
      return;
    }
    this.#watched.delete(runId);
    this.#connection.request({ op: 'unwatchAgentRun', runId }).catch(ignore);
  }

  /** The console follows every run it answered; one no entry took is released at once. */
  #forgetAnswered(runId: string): void {
    if (!this.#watched.has(runId)) this.#connection.request({ op: 'unwatchAgentRun', runId }).catch(ignore);
  }
}

function ignore(): void {
  // An unwatch that fails leaves nothing to fix: the console drops every watch with the page.
}
