import { ConsoleToAppMessage, type ClientMessage, type Run, type RunEventBody, type ServerMessage } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api-error';
import { RunStreamManager } from '../builder/run-stream-manager';
import type { AgentRunMemory, BridgeAgentClient } from './agent-bridge';
import { BridgeHost, type BridgeDataClient } from './bridge-host';
import { runStreamsForBridge } from './bridge-run-streams';

type Handlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

const run = (status: Run['status'], changes: Partial<Run> = {}): Run => ({
  id: 'run_1',
  appId: 'a1',
  workspaceId: 'w1',
  status,
  prompt: 'Lead enricher (manual)',
  createdBy: 'usr_vic',
  createdAt: '2026-12-01T20:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  failureReason: null,
  provider: null,
  model: null,
  plan: null,
  usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  versionId: null,
  retryOf: null,
  ...changes,
});

/**
 * The console's agent bridge with the real run-stream manager over a scripted WebSocket: what the
 * app asks is parsed by the real bridge schema (BridgeHost), what it is sent must parse too.
 */
function setup() {
  const posted: unknown[] = [];
  const preview = { postMessage: (message: unknown) => posted.push(message) };
  const sent: ClientMessage[] = [];
  let handlers: Handlers | undefined;
  const manager = new RunStreamManager({
    createSocket: (given) => {
      handlers = given;
      return { connect: vi.fn(), send: (message: ClientMessage) => sent.push(message) > 0, close: vi.fn() };
    },
    listRunEvents: () => Promise.resolve({ items: [] }),
  });
  const remembered = new Map<string, string>();
  const memory: AgentRunMemory = {
    get: (agentId) => remembered.get(agentId) ?? null,
    set: (agentId, runId) => remembered.set(agentId, runId),
    forget: (agentId, runId) => {
      if (remembered.get(agentId) === runId) remembered.delete(agentId);
    },
  };
  const client: BridgeAgentClient = {
    listAgentCatalog: vi.fn(() =>
      Promise.resolve({
        items: [{ id: 'enricher', name: 'Lead enricher', description: 'Looks up companies', manualTrigger: true, live: true }],
      }),
    ),
    startAgentRun: vi.fn(() => Promise.resolve(run('queued'))),
  };
  const unusedData = () => Promise.reject(new Error('not used'));
  const data: BridgeDataClient = {
    listDocuments: unusedData,
    getDocument: unusedData,
    insertDocument: unusedData,
    updateDocument: unusedData,
    removeDocument: unusedData,
  };
  const host = new BridgeHost({
    workspaceId: 'w1',
    appId: 'a1',
    scope: 'published',
    readOnly: false,
    target: () => preview,
    data,
    streams: { acquire: () => () => undefined },
    agents: { client, runs: runStreamsForBridge(manager), memory },
  });
  const send = (message: Record<string, unknown>) => host.handleEvent({ source: preview, data: { hangar: 1, ...message } });
  const server = () => handlers as Handlers;
  let eventSeq = 0;
  const event = (runId: string, body: RunEventBody) =>
    server().onMessage({
      type: 'run.event',
      runId,
      event: { id: `${++eventSeq}-0`, runId, time: '2026-12-01T20:00:00.000Z', event: body },
    });
  const flush = async () => {
    for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
  };
  const agentRuns = () => posted.filter((message) => (message as { kind?: string }).kind === 'agentRun');
  const responses = () => posted.filter((message) => (message as { kind?: string }).kind === 'response');
  return { posted, sent, manager, server, remembered, client, host, send, event, flush, agentRuns, responses };
}

describe('the console’s agent bridge', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lists the agents of the bridge’s scope', async () => {
    const { client, send, flush, responses } = setup();
    send({ kind: 'request', id: 'l1', op: 'listAgents' });
    await flush();
    expect(client.listAgentCatalog).toHaveBeenCalledWith('w1', 'a1', 'published');
    expect(responses()).toEqual([
      {
        hangar: 1,
        kind: 'response',
        id: 'l1',
        ok: true,
        result: { items: [{ id: 'enricher', name: 'Lead enricher', description: 'Looks up companies', manualTrigger: true, live: true }] },
      },
    ]);
  });

  it('starts a run as the signed-in person, remembers it, and streams its status and result into the app live', async () => {
    const { client, sent, server, remembered, send, event, flush, agentRuns, responses, posted } = setup();
    server().onOpen();
    send({ kind: 'request', id: 't1', op: 'triggerAgent', agentId: 'enricher', input: { company: 'Acme' } });
    await flush();
    expect(client.startAgentRun).toHaveBeenCalledWith('w1', 'a1', 'enricher', { company: 'Acme' }, 'published');
    expect(remembered.get('enricher')).toBe('run_1');
    expect(responses()).toEqual([
      {
        hangar: 1,
        kind: 'response',
        id: 't1',
        ok: true,
        result: { runId: 'run_1', agentId: 'enricher', status: 'queued', result: null, error: null },
      },
    ]);
    expect(sent).toContainEqual(expect.objectContaining({ type: 'run.subscribe', workspaceId: 'w1', runId: 'run_1' }));

    event('run_1', { type: 'run.queued', prompt: 'Lead enricher (manual)' });
    event('run_1', { type: 'run.started', workerId: 'w', provider: 'offline', model: 'offline-agent' });
    event('run_1', { type: 'tool.started', callId: 'c1', name: 'lookup_company', input: {} });
    event('run_1', { type: 'agent.call_approval_requested', approvalId: 'cap_1', tool: 'update_app_data', preview: {}, host: null });
    event('run_1', { type: 'agent.call_decided', approvalId: 'cap_1', decision: 'approved', by: 'usr_olive' });
    event('run_1', { type: 'run.succeeded', summary: 'Enriched lead_1' });
    // A replayed backlog (a reconnect) cannot send a finished run back.
    event('run_1', { type: 'run.started', workerId: 'w', provider: 'offline', model: 'offline-agent' });
    expect(agentRuns().map((message) => (message as { run: { status: string } }).run.status)).toEqual([
      'running',
      'awaiting_approval',
      'running',
      'succeeded',
    ]);
    expect(agentRuns().at(-1)).toEqual({
      hangar: 1,
      kind: 'agentRun',
      run: { runId: 'run_1', agentId: 'enricher', status: 'succeeded', result: 'Enriched lead_1', error: null },
    });
    for (const message of posted) expect(ConsoleToAppMessage.safeParse(message).success).toBe(true);
  });

  it('answers a refused trigger with the API’s error', async () => {
    const { client, send, flush, responses } = setup();
    vi.mocked(client.startAgentRun).mockRejectedValueOnce(
      new ApiError(429, 'limit_reached', 'This workspace already has 5 agent runs in progress (the limit is 5).'),
    );
    send({ kind: 'request', id: 't1', op: 'triggerAgent', agentId: 'enricher', input: {} });
    await flush();
    expect(responses()).toEqual([
      {
        hangar: 1,
        kind: 'response',
        id: 't1',
        ok: false,
        error: { code: 'limit_reached', message: 'This workspace already has 5 agent runs in progress (the limit is 5).' },
      },
    ]);
  });

  it('a reloaded app re-attaches to the remembered run and gets its state from the run’s backlog', async () => {
    const { server, remembered, send, event, flush, responses, agentRuns } = setup();
    remembered.set('enricher', 'run_1');
    server().onOpen();
    send({ kind: 'request', id: 'w1', op: 'watchAgentRun', agentId: 'enricher' });
    await flush();
    expect(responses()).toEqual([]);
    event('run_1', { type: 'run.queued', prompt: 'x' });
    await flush();
    expect(responses()).toEqual([
      {
        hangar: 1,
        kind: 'response',
        id: 'w1',
        ok: true,
        result: { runId: 'run_1', agentId: 'enricher', status: 'queued', result: null, error: null },
      },
    ]);
    event('run_1', { type: 'run.failed', reason: 'The tool answered 500.', retryable: false });
    expect(agentRuns().at(-1)).toMatchObject({
      run: { status: 'failed', error: { code: 'agent_failed', message: 'The tool answered 500.' } },
    });
    // No remembered run: nothing to show.
    send({ kind: 'request', id: 'w2', op: 'watchAgentRun', agentId: 'other' });
    await flush();
    expect(responses().at(-1)).toMatchObject({ id: 'w2', ok: true, result: null });
  });

  it('a run stream the server ends is pushed as the run’s error and no longer followed', async () => {
    const { sent, server, send, event, flush, agentRuns } = setup();
    server().onOpen();
    send({ kind: 'request', id: 't1', op: 'triggerAgent', agentId: 'enricher', input: {} });
    await flush();
    event('run_1', { type: 'run.started', workerId: 'w', provider: 'offline', model: 'offline-agent' });
    server().onMessage({
      type: 'subscription.revoked',
      subscription: { kind: 'run', runId: 'run_1' },
      reason: 'Your access changed, so this live view has ended.',
    });
    vi.advanceTimersByTime(100);
    expect(agentRuns().at(-1)).toEqual({
      hangar: 1,
      kind: 'agentRun',
      run: {
        runId: 'run_1',
        agentId: 'enricher',
        status: 'running',
        result: null,
        error: { code: 'forbidden', message: 'Your access changed, so this live view has ended.' },
      },
    });
    const count = agentRuns().length;
    event('run_1', { type: 'run.succeeded', summary: 'late' });
    vi.advanceTimersByTime(5_000);
    expect(agentRuns()).toHaveLength(count);
    expect(sent).toContainEqual({ type: 'run.unsubscribe', runId: 'run_1' });
  });

  it('a remembered run this person may not read is forgotten and shows nothing; a given one answers the refusal', async () => {
    const { sent, server, remembered, send, flush, responses } = setup();
    remembered.set('enricher', 'run_1');
    server().onOpen();
    send({ kind: 'request', id: 'w1', op: 'watchAgentRun', agentId: 'enricher' });
    const refuse = () => {
      const subscribe = sent.filter((message) => message.type === 'run.subscribe').at(-1) as { id: string };
      server().onMessage({ type: 'session.error', id: subscribe.id, code: 'forbidden', message: 'You may not follow this run.' });
      vi.advanceTimersByTime(20);
    };
    refuse();
    await flush();
    expect(responses().at(-1)).toMatchObject({ id: 'w1', ok: true, result: null });
    expect(remembered.has('enricher')).toBe(false);
    vi.advanceTimersByTime(5_000);
    send({ kind: 'request', id: 'w2', op: 'watchAgentRun', agentId: 'enricher', runId: 'run_2' });
    refuse();
    await flush();
    expect(responses().at(-1)).toEqual({
      hangar: 1,
      kind: 'response',
      id: 'w2',
      ok: false,
      error: { code: 'forbidden', message: 'You may not follow this run.' },
    });
  });

  it('stops following every run on unwatch and when the app reloads', async () => {
    const { sent, server, client, send, flush, event, agentRuns } = setup();
    server().onOpen();
    send({ kind: 'request', id: 't1', op: 'triggerAgent', agentId: 'enricher', input: {} });
    await flush();
    send({ kind: 'request', id: 'u1', op: 'unwatchAgentRun', runId: 'run_1' });
    await flush();
    event('run_1', { type: 'run.started', workerId: 'w', provider: 'offline', model: 'offline-agent' });
    expect(agentRuns()).toEqual([]);
    vi.mocked(client.startAgentRun).mockResolvedValueOnce(run('queued', { id: 'run_2' }));
    send({ kind: 'request', id: 't2', op: 'triggerAgent', agentId: 'enricher', input: {} });
    await flush();
    send({ kind: 'hello' });
    event('run_2', { type: 'run.succeeded', summary: 'x' });
    expect(agentRuns()).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(sent.filter((message) => message.type === 'run.unsubscribe')).toEqual([
      { type: 'run.unsubscribe', runId: 'run_1' },
      { type: 'run.unsubscribe', runId: 'run_2' },
    ]);
  });

  it('without agent support the requests answer unavailable', async () => {
    const posted: unknown[] = [];
    const preview = { postMessage: (message: unknown) => posted.push(message) };
    const failing = () => Promise.reject(new Error('not used'));
    const host = new BridgeHost({
      workspaceId: 'w1',
      appId: 'a1',
      scope: 'draft',
      readOnly: false,
      target: () => preview,
      data: { listDocuments: failing, getDocument: failing, insertDocument: failing, updateDocument: failing, removeDocument: failing },
      streams: { acquire: () => () => undefined },
    });
    host.handleEvent({ source: preview, data: { hangar: 1, kind: 'request', id: 'l1', op: 'listAgents' } });
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(posted).toEqual([
      {
        hangar: 1,
        kind: 'response',
        id: 'l1',
        ok: false,
        error: { code: 'unavailable', message: 'App agents are not available in this view.' },
      },
    ]);
  });
});
