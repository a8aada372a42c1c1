import type { ClientMessage, RunEvent, ServerMessage } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunStreamManager } from './run-stream-manager';

type Handlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

const eventOf = (runId: string, n: number): RunEvent => ({
  id: `${String(n).padStart(4, '0')}-0`,
  runId,
  time: '2026-12-01T20:00:00.000Z',
  event: { type: 'text.delta', text: `part ${n}` },
});

function setup() {
  const sent: ClientMessage[] = [];
  let handlers: Handlers | undefined;
  const socket = { connect: vi.fn(), send: vi.fn((message: ClientMessage) => sent.push(message) > 0), close: vi.fn() };
  const catchUps: { runId: string; after: string | undefined; resolve: (items: RunEvent[]) => void }[] = [];
  const manager = new RunStreamManager({
    createSocket: (given) => {
      handlers = given;
      return socket;
    },
    listRunEvents: (_workspaceId, runId, after) =>
      new Promise((resolve) => catchUps.push({ runId, after, resolve: (items) => resolve({ items }) })),
  });
  const server = () => handlers as Handlers;
  const subscribes = () => sent.filter((message) => message.type === 'run.subscribe');
  const push = (runId: string, n: number) => server().onMessage({ type: 'run.event', runId, event: eventOf(runId, n) });
  const texts = (runId: string) =>
    manager.snapshot(runId).events.map((event) => (event.event.type === 'text.delta' ? event.event.text : ''));
  return { sent, socket, manager, server, subscribes, push, texts, catchUps };
}

describe('RunStreamManager', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes once per run for every viewer, and only once the socket is open', () => {
    const { manager, server, subscribes, socket } = setup();
    manager.acquire('wsp_1', 'run_1', () => undefined);
    manager.acquire('wsp_1', 'run_1', () => undefined);
    expect(socket.connect).toHaveBeenCalled();
    expect(subscribes()).toEqual([]);
    server().onOpen();
    expect(subscribes()).toEqual([{ type: 'run.subscribe', id: 'sub-1', workspaceId: 'wsp_1', runId: 'run_1' }]);
    manager.acquire('wsp_1', 'run_1', () => undefined);
    expect(subscribes()).toHaveLength(1);
  });

  it('publishes events in batches, drops duplicates and events of other runs, and tells listeners each event once', () => {
    const { manager, server, push, texts } = setup();
    const notify = vi.fn();
    const heard: string[] = [];
    manager.acquire('wsp_1', 'run_1', notify, (event) => heard.push(event.id));
    server().onOpen();
    push('run_1', 1);
    push('run_1', 2);
    push('run_1', 2);
    server().onMessage({ type: 'run.event', runId: 'run_1', event: eventOf('run_2', 3) });
    expect(texts('run_1')).toEqual([]);
    const notifiedBeforeFlush = notify.mock.calls.length;
    vi.advanceTimersByTime(16);
    expect(texts('run_1')).toEqual(['part 1', 'part 2']);
    expect(notify.mock.calls.length).toBe(notifiedBeforeFlush + 1);
    expect(heard).toEqual(['0001-0', '0002-0']);
  });

  it('resubscribes after the last event it holds when the socket comes back, so nothing is lost or doubled', () => {
    const { manager, server, push, texts, subscribes } = setup();
    manager.acquire('wsp_1', 'run_1', () => undefined);
    server().onOpen();
    push('run_1', 1);
    push('run_1', 2);
    server().onClose();
    expect(manager.snapshot('run_1').connected).toBe(false);
    server().onOpen();
    expect(subscribes().at(-1)).toEqual({ type: 'run.subscribe', id: 'sub-2', workspaceId: 'wsp_1', runId: 'run_1', after: '0002-0' });
    push('run_1', 2);
    push('run_1', 3);
    vi.advanceTimersByTime(16);
    expect(texts('run_1')).toEqual(['part 1', 'part 2', 'part 3']);
    expect(manager.snapshot('run_1').connected).toBe(true);
  });

  it('shows a refused subscription as the stream error, and clears it when a later subscribe succeeds', () => {
    const { manager, server } = setup();
    manager.acquire('wsp_1', 'run_1', () => undefined);
    server().onOpen();
    server().onMessage({ type: 'session.error', id: 'sub-1', code: 'forbidden', message: 'You cannot see this run.' });
    expect(manager.snapshot('run_1').error).toBe('You cannot see this run.');
    server().onClose();
    server().onOpen();
    server().onMessage({ type: 'run.subscribed', id: 'sub-2', runId: 'run_1' });
    expect(manager.snapshot('run_1').error).toBeNull();
  });

  it('resubscribes every run after its last event when the server says a stream broke', () => {
    const { manager, server, push, subscribes } = setup();
    manager.acquire('wsp_1', 'run_1', () => undefined);
    manager.acquire('wsp_1', 'run_2', () => undefined);
    server().onOpen();
    push('run_1', 5);
    server().onMessage({ type: 'session.error', code: 'subscription_failed', message: 'The stream broke.' });
    expect(subscribes().slice(2)).toEqual([
      { type: 'run.subscribe', id: 'sub-3', workspaceId: 'wsp_1', runId: 'run_1', after: '0005-0' },
      { type: 'run.subscribe', id: 'sub-4', workspaceId: 'wsp_1', runId: 'run_2' },
    ]);
  });

  it('catches up over REST every 3 s while the socket is down, and stops once it is back', async () => {
    const { manager, server, push, texts, catchUps } = setup();
    manager.acquire('wsp_1', 'run_1', () => undefined);
    server().onOpen();
    push('run_1', 1);
    server().onClose();
    vi.advanceTimersByTime(2_999);
    expect(catchUps).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(catchUps.map(({ runId, after }) => [runId, after])).toEqual([['run_1', '0001-0']]);
    catchUps[0]?.resolve([eventOf('run_1', 1), eventOf('run_1', 2)]);
    await vi.advanceTimersByTimeAsync(16);
    expect(texts('run_1')).toEqual(['part 1', 'part 2']);

    server().onOpen();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(catchUps).toHaveLength(1);
  });

  it('unsubscribes a moment after the last viewer leaves, keeps the stream for a quick remount, and closes the idle socket', () => {
    const { manager, server, sent, socket, subscribes } = setup();
    const leave = manager.acquire('wsp_1', 'run_1', () => undefined);
    server().onOpen();
    leave();
    vi.advanceTimersByTime(1_000);
    const again = manager.acquire('wsp_1', 'run_1', () => undefined);
    vi.advanceTimersByTime(5_000);
    expect(sent.some((message) => message.type === 'run.unsubscribe')).toBe(false);
    expect(subscribes()).toHaveLength(1);
    again();
    vi.advanceTimersByTime(2_000);
    expect(sent.at(-1)).toEqual({ type: 'run.unsubscribe', runId: 'run_1' });
    expect(socket.close).toHaveBeenCalledTimes(1);
    expect(manager.snapshot('run_1').events).toEqual([]);
  });
});
