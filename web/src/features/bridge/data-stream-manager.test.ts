import type { ClientMessage, DataChange, ServerMessage } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataStreamManager, type DataStreamEvent } from './data-stream-manager';

type Handlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

function setup() {
  const sent: ClientMessage[] = [];
  let handlers: Handlers | undefined;
  const socket = { connect: vi.fn(), send: (message: ClientMessage) => sent.push(message) > 0, close: vi.fn() };
  const manager = new DataStreamManager((given) => {
    handlers = given;
    return socket;
  });
  const server = () => handlers as Handlers;
  const events: DataStreamEvent[] = [];
  const target = { workspaceId: 'w1', appId: 'a1', scope: 'draft' as const, collection: 'tasks' };
  const where = { appId: 'a1', scope: 'draft' as const, collection: 'tasks' };
  const subscribed = (epoch: string, seq: number, id?: string): ServerMessage => ({
    type: 'data.subscribed',
    ...where,
    epoch,
    seq,
    ...(id ? { id } : {}),
  });
  const changed = (epoch: string, seq: number): ServerMessage => {
    const change: DataChange = { operation: 'update', documentId: 'd1', document: null, epoch, seq };
    return { type: 'data.changed', ...where, change };
  };
  return { sent, socket, manager, server, events, target, subscribed, changed };
}

describe('DataStreamManager', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes once per collection for many listeners and unsubscribes after the last leaves', () => {
    const { sent, socket, manager, server, target } = setup();
    server().onOpen();
    const leaveA = manager.acquire(target, () => undefined);
    const leaveB = manager.acquire(target, () => undefined);
    expect(sent.filter((message) => message.type === 'data.subscribe')).toHaveLength(1);
    leaveA();
    leaveB();
    leaveB();
    vi.advanceTimersByTime(2_000);
    expect(sent.at(-1)).toEqual({ type: 'data.unsubscribe', appId: 'a1', scope: 'draft', collection: 'tasks' });
    expect(socket.close).toHaveBeenCalledTimes(1);
  });

  it('passes changes in sequence and turns a gap or a new epoch into a resync', () => {
    const { manager, server, events, target, subscribed, changed } = setup();
    server().onOpen();
    manager.acquire(target, (event) => events.push(event));
    server().onMessage(subscribed('e1', 7));
    server().onMessage(changed('e1', 8));
    server().onMessage(changed('e1', 10));
    server().onMessage(changed('e1', 11));
    server().onMessage(changed('e2', 12));
    expect(events.map((event) => (event.type === 'change' ? event.change.seq : event.type))).toEqual([
      'subscribed',
      8,
      'resync',
      11,
      'resync',
    ]);
  });

  it('passes a data.reload notice (a change too large to push) in sequence, and a gap before it becomes a resync', () => {
    const { manager, server, events, target, subscribed, changed } = setup();
    server().onOpen();
    manager.acquire(target, (event) => events.push(event));
    server().onMessage(subscribed('e1', 0));
    const reload = (seq: number): ServerMessage => ({
      type: 'data.reload',
      appId: 'a1',
      scope: 'draft',
      collection: 'tasks',
      change: { operation: 'update', documentId: 'big', epoch: 'e1', seq },
    });
    server().onMessage(reload(1));
    server().onMessage(changed('e1', 2));
    server().onMessage(reload(4));
    expect(events).toEqual([
      { type: 'subscribed' },
      { type: 'reload', change: { operation: 'update', documentId: 'big', epoch: 'e1', seq: 1 } },
      { type: 'change', change: { operation: 'update', documentId: 'd1', document: null, epoch: 'e1', seq: 2 } },
      { type: 'resync' },
    ]);
  });

  it('ends a stream the server revoked with an error and ignores anything after it', () => {
    const { manager, server, events, target, subscribed, changed } = setup();
    server().onOpen();
    manager.acquire(target, (event) => events.push(event));
    server().onMessage(subscribed('e1', 0));
    server().onMessage({ type: 'subscription.revoked', subscription: { kind: 'data', ...target }, reason: 'Your access changed.' });
    server().onMessage(changed('e1', 1));
    expect(events).toEqual([{ type: 'subscribed' }, { type: 'error', code: 'forbidden', message: 'Your access changed.' }]);
  });

  it('resubscribes after a reconnect and asks for a resync once the server confirms', () => {
    const { sent, manager, server, events, target, subscribed, changed } = setup();
    server().onOpen();
    manager.acquire(target, (event) => events.push(event));
    server().onMessage(subscribed('e1', 0));
    server().onClose();
    server().onOpen();
    expect(sent.filter((message) => message.type === 'data.subscribe')).toHaveLength(2);
    expect(events.map((event) => event.type)).toEqual(['subscribed']);
    server().onMessage(subscribed('e1', 5));
    server().onMessage(changed('e1', 6));
    expect(events.map((event) => event.type)).toEqual(['subscribed', 'subscribed', 'resync', 'change']);
  });

  it('reports a refused subscription to its listeners', () => {
    const { sent, manager, server, events, target } = setup();
    server().onOpen();
    manager.acquire(target, (event) => events.push(event));
    const request = sent.find((message) => message.type === 'data.subscribe');
    server().onMessage({ type: 'session.error', id: request?.id ?? '', code: 'forbidden', message: 'No access.' });
    expect(events).toEqual([{ type: 'error', code: 'forbidden', message: 'No access.' }]);
    expect(manager.state(target)).toBe('error');
    // Someone joining later asks again, and hears the answer like everyone else.
    const late: DataStreamEvent[] = [];
    manager.acquire(target, (event) => late.push(event));
    const retry = sent.filter((message) => message.type === 'data.subscribe').at(-1);
    expect(retry?.id).not.toBe(request?.id);
    server().onMessage({ type: 'session.error', id: retry?.id ?? '', code: 'forbidden', message: 'No access.' });
    expect(late).toEqual([{ type: 'error', code: 'forbidden', message: 'No access.' }]);
  });

  it('tells a late listener that the stream is already live', () => {
    const { manager, server, target, subscribed } = setup();
    server().onOpen();
    manager.acquire(target, () => undefined);
    server().onMessage(subscribed('e1', 0));
    const late: DataStreamEvent[] = [];
    manager.acquire(target, (event) => late.push(event));
    expect(late).toEqual([{ type: 'subscribed' }]);
  });
});
