import {
  bridgeVersion,
  type AppToConsoleMessage,
  type BridgeAgentRun,
  type BridgeDocument,
  type BridgeRequest,
  type ConsoleToAppMessage,
} from './hangar-bridge-protocol';
import { HangarError } from './hangar-error';
import { MemoryCollectionStore } from './hangar-store';
import type { HangarTransport } from './hangar-transport';

/**
 * A stand-in agent for tests and demos: real agents run inside Hangar (the control plane and a
 * worker), so the in-memory console runs only the agents it is given, with `run` as their whole
 * behaviour. `run` may write through `write` (pushed to subscribers like an agent's writes) and
 * returns the run's summary; throwing fails the run with the error's message.
 */
export type MemoryAgent = {
  id: string;
  name: string;
  description?: string;
  /** Whether the app may start it (a manual trigger); default true. */
  manualTrigger?: boolean;
  run?: (
    input: Record<string, unknown>,
    context: { store: MemoryCollectionStore; write: MemoryConsoleTransport['writeFromElsewhere'] },
  ) => string | Promise<string>;
};

/** Why an agent the in-memory console was not given cannot run. */
export const MEMORY_AGENTS_MESSAGE = 'App agents run inside Hangar; this in-memory console runs only the agents it was given.';

/**
 * An in-memory stand-in for the Hangar console, for tests and demos that pass it explicitly
 * (an app opened on its own gets `DetachedConsoleTransport` instead, which saves nothing): it answers bridge requests from an in-memory store and pushes `changes` to
 * subscribed collections, so the SDK runs the same code path as in the console. Data lives as long
 * as the page. Answers arrive asynchronously and as copies, like real postMessage traffic.
 * Agents: only the `agents` given run (see {@link MemoryAgent}); any other answers `not_found`.
 */
export class MemoryConsoleTransport implements HangarTransport {
  readonly store: MemoryCollectionStore;
  readonly #handlers = new Set<(message: ConsoleToAppMessage) => void>();
  readonly #subscribed = new Set<string>();
  readonly #agents: MemoryAgent[];
  readonly #runs = new Map<string, BridgeAgentRun>();
  readonly #watchedRuns = new Set<string>();
  #seq = 0;
  #runSeq = 0;

  constructor(options: { store?: MemoryCollectionStore; agents?: MemoryAgent[] } = {}) {
    this.store = options.store ?? new MemoryCollectionStore();
    this.#agents = options.agents ?? [];
  }

  /** Every run started here, oldest first. */
  get agentRuns(): BridgeAgentRun[] {
    return [...this.#runs.values()].map((run) => structuredClone(run));
  }

  send(message: AppToConsoleMessage): void {
    const copy = structuredClone(message);
    queueMicrotask(() => this.#receive(copy));
  }

  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Writes a document as another writer would (an API call, an agent) and pushes the change. */
  writeFromElsewhere(collection: string, write: (store: MemoryCollectionStore) => BridgeDocument | null, documentId?: string): void {
    const document = write(this.store);
    const id = document?._id ?? documentId;
    if (id) this.#pushChange(collection, document ? 'update' : 'delete', id, document);
  }

  #receive(message: AppToConsoleMessage): void {
    if (message.kind === 'hello') {
      this.#emit({ hangar: bridgeVersion, kind: 'ready', appId: 'standalone', scope: 'draft', readOnly: false });
      return;
    }
    let result: unknown;
    try {
      result = this.#run(message);
    } catch (error) {
      const { code, message: text } = HangarError.from(error);
      this.#emit({ hangar: bridgeVersion, kind: 'response', id: message.id, ok: false, error: { code, message: text } });
      return;
    }
    this.#emit({ hangar: bridgeVersion, kind: 'response', id: message.id, ok: true, result });
  }

  #run(request: BridgeRequest): unknown {
    switch (request.op) {
      case 'listAgents':
        return {
          items: this.#agents.map((agent) => ({
            id: agent.id,
            name: agent.name,
            description: agent.description ?? '',
            manualTrigger: agent.manualTrigger ?? true,
            live: false,
          })),
        };
      case 'triggerAgent':
        return this.#startAgent(request.agentId, request.input);
      case 'watchAgentRun': {
        const run = request.runId
          ? this.#runs.get(request.runId)
          : [...this.#runs.values()].reverse().find((candidate) => candidate.agentId === request.agentId);
        if (!run || run.agentId !== request.agentId) return null;
        this.#watchedRuns.add(run.runId);
        return run;
      }
      case 'unwatchAgentRun':
        this.#watchedRuns.delete(request.runId);
        return null;
      default:
        return this.#runData(request);
    }
  }

  #startAgent(agentId: string, input: Record<string, unknown>): BridgeAgentRun {
    const agent = this.#agents.find((candidate) => candidate.id === agentId);
    if (!agent) throw new HangarError('not_found', `No agent "${agentId}". ${MEMORY_AGENTS_MESSAGE}`);
    if (agent.manualTrigger === false) throw new HangarError('conflict', 'This agent runs only on its schedule.');
    const run: BridgeAgentRun = { runId: `memrun_${++this.#runSeq}`, agentId, status: 'queued', result: null, error: null };
    this.#runs.set(run.runId, run);
    this.#watchedRuns.add(run.runId);
    const update = (changes: Partial<BridgeAgentRun>) => {
      const next = { ...this.#runs.get(run.runId)!, ...changes };
      this.#runs.set(run.runId, next);
      if (this.#watchedRuns.has(run.runId)) this.#emit({ hangar: bridgeVersion, kind: 'agentRun', run: next });
    };
    const context = { store: this.store, write: this.writeFromElsewhere.bind(this) };
    setTimeout(() => {
      update({ status: 'running' });
      Promise.resolve()
        .then(() => (agent.run ? agent.run(structuredClone(input), context) : `${agent.name} ran (in memory, nothing to do).`))
        .then(
          (summary) => update({ status: 'succeeded', result: summary }),
          (error: unknown) =>
            update({ status: 'failed', error: { code: 'agent_failed', message: error instanceof Error ? error.message : String(error) } }),
        );
    }, 0);
    return run;
  }

  #runData(request: Exclude<BridgeRequest, { op: 'listAgents' | 'triggerAgent' | 'watchAgentRun' | 'unwatchAgentRun' }>): unknown {
    const { collection } = request;
    const now = new Date().toISOString();
    switch (request.op) {
      case 'list':
        return this.store.list(collection, request.query);
      case 'get':
        return this.store.get(collection, request.documentId) ?? null;
      case 'insert': {
        const document = this.store.insert(collection, { ...request.data, _createdAt: now, _updatedAt: now });
        this.#pushChange(collection, 'insert', document._id, document);
        return document;
      }
      case 'update': {
        const document = this.store.update(collection, request.documentId, { ...request.data, _updatedAt: now });
        this.#pushChange(collection, 'update', document._id, document);
        return document;
      }
      case 'remove':
        if (this.store.remove(collection, request.documentId)) this.#pushChange(collection, 'delete', request.documentId, null);
        return null;
      case 'subscribe':
        this.#subscribed.add(collection);
        return null;
      case 'unsubscribe':
        this.#subscribed.delete(collection);
        return null;
    }
  }

  #pushChange(collection: string, operation: 'insert' | 'update' | 'delete', documentId: string, document: BridgeDocument | null): void {
    if (!this.#subscribed.has(collection)) return;
    const change = { operation, documentId, document, epoch: 'memory', seq: ++this.#seq };
    const message: ConsoleToAppMessage = { hangar: bridgeVersion, kind: 'changes', collection, changes: [change] };
    queueMicrotask(() => this.#emit(message));
  }

  #emit(message: ConsoleToAppMessage): void {
    for (const handler of [...this.#handlers]) handler(structuredClone(message));
  }
}
