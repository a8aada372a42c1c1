import * as protocol from '@hangar/protocol';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { AgentSnapshot, AgentSummary } from './hangar-agents';
import type { AppToConsoleMessage, BridgeAgentRun, BridgeRequest, ConsoleToAppMessage } from './hangar-bridge-protocol';
import { HangarClient } from './hangar-client';
import { DetachedConsoleTransport } from './hangar-detached-console';
import { MemoryConsoleTransport } from './hangar-memory-console';
import type { HangarTransport } from './hangar-transport';

/**
 * The agent state machine over a scripted console. Every message either side posts is parsed by
 * the real bridge schemas of `@hangar/protocol`, so the SDK's copy cannot drift from them.
 */
class SchemaCheckedConsole implements HangarTransport {
  readonly sent: AppToConsoleMessage[] = [];
  #handler: ((message: ConsoleToAppMessage) => void) | null = null;

  send(message: AppToConsoleMessage): void {
    const parsed = protocol.AppToConsoleMessage.safeParse(message);
    if (!parsed.success) throw new Error(`the SDK sent an invalid message: ${JSON.stringify(message)} ${parsed.error.message}`);
    this.sent.push(message);
  }
  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handler = handler;
    return () => (this.#handler = null);
  }
  push(message: unknown): void {
    protocol.ConsoleToAppMessage.parse(message);
    this.#handler?.(message as ConsoleToAppMessage);
  }
  requests(op: BridgeRequest['op']): BridgeRequest[] {
    return this.sent.filter((message): message is BridgeRequest => message.kind === 'request' && message.op === op);
  }
  last(op: BridgeRequest['op']): BridgeRequest {
    const found = this.requests(op).at(-1);
    if (!found) throw new Error(`no ${op} request`);
    return found;
  }
  async answer(request: BridgeRequest, result: unknown): Promise<void> {
    this.push({ hangar: 1, kind: 'response', id: request.id, ok: true, result });
    await flush();
  }
  async fail(request: BridgeRequest, code: string, message = code): Promise<void> {
    this.push({ hangar: 1, kind: 'response', id: request.id, ok: false, error: { code, message } });
    await flush();
  }
  async run(run: BridgeAgentRun): Promise<void> {
    this.push({ hangar: 1, kind: 'agentRun', run });
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}

function setup() {
  const console = new SchemaCheckedConsole();
  const client = new HangarClient({ transport: console });
  console.push({ hangar: 1, kind: 'ready', appId: 'app1', scope: 'published', readOnly: true });
  return { console, client };
}

function watchAgent(client: HangarClient, agentId: string, runId?: string) {
  const handle = client.agents.agent(agentId, runId);
  const listener = vi.fn();
  const release = handle.subscribe(listener);
  return { handle, listener, release, get: (): AgentSnapshot => handle.getSnapshot() };
}

const run = (status: BridgeAgentRun['status'], changes: Partial<BridgeAgentRun> = {}): BridgeAgentRun => ({
  runId: 'run_1',
  agentId: 'enricher',
  status,
  result: null,
  error: null,
  ...changes,
});

describe('useAgent’s state machine', () => {
  it('matches the protocol types', () => {
    expectTypeOf<protocol.BridgeAgentRun>().toEqualTypeOf<BridgeAgentRun>();
    expectTypeOf<protocol.AgentSummary>().toEqualTypeOf<AgentSummary>();
  });

  it('re-attaches to the last run on mount, then follows it live to its result', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    expect(agent.get()).toEqual({ status: 'idle', runId: null, result: null, error: null });
    const watch = console.last('watchAgentRun');
    expect(watch).toMatchObject({ agentId: 'enricher' });
    expect(watch).not.toHaveProperty('runId');
    await console.answer(watch, run('running'));
    expect(agent.get()).toEqual({ status: 'running', runId: 'run_1', result: null, error: null });
    await console.run(run('awaiting_approval'));
    expect(agent.get().status).toBe('awaiting_approval');
    await console.run(run('succeeded', { result: 'Enriched 1 lead' }));
    expect(agent.get()).toEqual({ status: 'succeeded', runId: 'run_1', result: 'Enriched 1 lead', error: null });
    // Another run's news changes nothing here.
    await console.run(run('failed', { runId: 'run_9', error: { code: 'agent_failed', message: 'x' } }));
    expect(agent.get().status).toBe('succeeded');
    expect(agent.listener).toHaveBeenCalledTimes(3);
  });

  it('shows nothing when there is no earlier run, and follows a given run id', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    await console.answer(console.last('watchAgentRun'), null);
    expect(agent.get().status).toBe('idle');
    const given = watchAgent(client, 'enricher', 'run_7');
    expect(console.last('watchAgentRun')).toMatchObject({ agentId: 'enricher', runId: 'run_7' });
    await console.answer(
      console.last('watchAgentRun'),
      run('failed', { runId: 'run_7', error: { code: 'agent_failed', message: 'Tool down' } }),
    );
    expect(given.get()).toMatchObject({ status: 'failed', runId: 'run_7', error: { code: 'agent_failed', message: 'Tool down' } });
  });

  it('trigger: starting, then the run’s statuses; a refusal goes back to idle with the reason', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    await console.answer(console.last('watchAgentRun'), null);

    const refused = agent.handle.trigger({ company: 'Acme' });
    expect(agent.get().status).toBe('starting');
    await console.fail(console.last('triggerAgent'), 'limit_reached', 'This workspace already has 5 agent runs in progress.');
    await expect(refused).resolves.toBeNull();
    expect(agent.get()).toMatchObject({ status: 'idle', runId: null, error: { code: 'limit_reached' } });

    const started = agent.handle.trigger({ company: 'Acme' });
    expect(console.last('triggerAgent')).toMatchObject({ agentId: 'enricher', input: { company: 'Acme' } });
    expect(agent.get()).toEqual({ status: 'starting', runId: null, result: null, error: null });
    await console.answer(console.last('triggerAgent'), run('queued'));
    await expect(started).resolves.toBe('run_1');
    expect(agent.get()).toMatchObject({ status: 'queued', runId: 'run_1' });
    await console.run(run('running'));
    await console.run(run('failed', { error: { code: 'agent_failed', message: 'The tool answered 500.' } }));
    expect(agent.get()).toMatchObject({ status: 'failed', error: { code: 'agent_failed', message: 'The tool answered 500.' } });
  });

  it('refuses bad input before asking the console, and maps input errors of the console', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    await expect(agent.handle.trigger({ big: 'x'.repeat(17 * 1024) })).resolves.toBeNull();
    expect(agent.get().error?.code).toBe('invalid_input');
    await expect(agent.handle.trigger(['a'] as unknown as Record<string, unknown>)).resolves.toBeNull();
    expect(console.requests('triggerAgent')).toHaveLength(0);
    const bad = agent.handle.trigger({ company: 1 });
    await console.fail(console.last('triggerAgent'), 'validation_failed', 'company must be a string');
    await bad;
    expect(agent.get().error).toMatchObject({ code: 'invalid_input', message: 'company must be a string' });
  });

  it('a second trigger replaces the first run: the first is unwatched, late news of it is ignored', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    await console.answer(console.last('watchAgentRun'), null);
    void agent.handle.trigger({});
    await console.answer(console.last('triggerAgent'), run('running'));
    void agent.handle.trigger({});
    expect(console.last('unwatchAgentRun')).toMatchObject({ runId: 'run_1' });
    await console.run(run('succeeded', { result: 'old' }));
    expect(agent.get().status).toBe('starting');
    await console.answer(console.last('triggerAgent'), run('queued', { runId: 'run_2' }));
    expect(agent.get()).toMatchObject({ status: 'queued', runId: 'run_2', result: null });
  });

  it('shares one entry per agent, unwatches when the last watcher leaves, keeps it across a StrictMode remount', async () => {
    const { console, client } = setup();
    const first = watchAgent(client, 'enricher');
    const second = watchAgent(client, 'enricher');
    expect(console.requests('watchAgentRun')).toHaveLength(1);
    await console.answer(console.last('watchAgentRun'), run('running'));
    expect(first.get()).toBe(second.get());
    first.release();
    const again = watchAgent(client, 'enricher');
    second.release();
    await flush();
    expect(console.requests('unwatchAgentRun')).toHaveLength(0);
    expect(again.get().runId).toBe('run_1');
    again.release();
    await flush();
    expect(console.requests('unwatchAgentRun').map((request) => ('runId' in request ? request.runId : ''))).toEqual(['run_1']);
  });

  it('shows that the console stopped following a run (access removed) without losing what it knew', async () => {
    const { console, client } = setup();
    const agent = watchAgent(client, 'enricher');
    await console.answer(console.last('watchAgentRun'), run('running'));
    await console.run(run('running', { error: { code: 'forbidden', message: 'Your access changed, so this live view has ended.' } }));
    expect(agent.get()).toMatchObject({ status: 'running', runId: 'run_1', error: { code: 'forbidden' } });
  });
});

describe('useAgentList', () => {
  it('lists the app’s agents once for every watcher, and shows a failure as its error', async () => {
    const { console, client } = setup();
    const list = client.agents.list();
    const listener = vi.fn();
    const release = list.subscribe(listener);
    list.subscribe(vi.fn());
    expect(console.requests('listAgents')).toHaveLength(1);
    const agents = [{ id: 'enricher', name: 'Lead enricher', description: 'Looks up companies', manualTrigger: true, live: true }];
    await console.answer(console.last('listAgents'), { items: agents });
    expect(list.getSnapshot()).toEqual({ data: agents, loading: false, error: null });
    list.reload();
    expect(list.getSnapshot().loading).toBe(true);
    await console.fail(console.last('listAgents'), 'forbidden', 'No access.');
    expect(list.getSnapshot()).toMatchObject({ data: [], loading: false, error: { code: 'forbidden' } });
    release();
  });
});

describe('agents outside the console', () => {
  it('the in-memory console runs only the agents it was given, live, and says why others cannot run', async () => {
    const transport = new MemoryConsoleTransport({
      agents: [
        {
          id: 'enricher',
          name: 'Lead enricher',
          run: (input, { write }) => {
            write('leads', (store) => store.update('leads', String(input['id']), { employees: 120 }));
            return 'Enriched 1 lead';
          },
        },
      ],
    });
    transport.store.insert('leads', { _id: 'lead_1', company: 'Acme' });
    const client = new HangarClient({ transport });
    const list = client.agents.list();
    list.subscribe(vi.fn());
    await vi.waitFor(() => expect(list.getSnapshot().loading).toBe(false));
    expect(list.getSnapshot().data).toEqual([{ id: 'enricher', name: 'Lead enricher', description: '', manualTrigger: true, live: false }]);

    const agent = watchAgent(client, 'enricher');
    await expect(agent.handle.trigger({ id: 'lead_1' })).resolves.toBe('memrun_1');
    await vi.waitFor(() => expect(agent.get().status).toBe('succeeded'));
    expect(agent.get().result).toBe('Enriched 1 lead');
    expect(transport.store.get('leads', 'lead_1')).toMatchObject({ employees: 120 });

    // A reloaded app (a new client on the same console) re-attaches to the last run.
    const reloaded = watchAgent(new HangarClient({ transport }), 'enricher');
    await vi.waitFor(() => expect(reloaded.get()).toMatchObject({ status: 'succeeded', runId: 'memrun_1' }));

    const unknown = watchAgent(client, 'mailer');
    await unknown.handle.trigger({});
    expect(unknown.get().error).toMatchObject({ code: 'not_found' });
    expect(unknown.get().error?.message).toContain('App agents run inside Hangar');
  });

  it('an app opened on its own refuses triggers with the disconnected message and lists nothing', async () => {
    const client = new HangarClient({ transport: new DetachedConsoleTransport() });
    const agent = watchAgent(client, 'enricher');
    await expect(agent.handle.trigger({})).resolves.toBeNull();
    expect(agent.get().error?.code).toBe('unavailable');
    const list = client.agents.list();
    list.subscribe(vi.fn());
    await vi.waitFor(() => expect(list.getSnapshot().loading).toBe(false));
    expect(list.getSnapshot().error?.code).toBe('unavailable');
  });
});
