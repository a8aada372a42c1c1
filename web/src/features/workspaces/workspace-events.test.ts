import type { ClientMessage, ServerMessage } from '@hangar/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { staleQueriesOf, WorkspaceEventsManager, type WorkspaceSignal } from './workspace-events';

type Handlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };

function setup() {
  const sent: ClientMessage[] = [];
  let handlers: Handlers | undefined;
  const socket = { connect: vi.fn(), send: vi.fn((message: ClientMessage) => sent.push(message) > 0), close: vi.fn() };
  const manager = new WorkspaceEventsManager((given) => {
    handlers = given;
    return socket;
  });
  return { sent, socket, manager, server: () => handlers as Handlers };
}

const event = (kind: string, extra: Record<string, string> = {}): ServerMessage =>
  ({ type: 'workspace.event', workspaceId: 'wsp_1', event: { kind, at: '2026-12-01T20:00:00.000Z', ...extra } }) as ServerMessage;

describe('WorkspaceEventsManager', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes each workspace once, when the socket opens, and hands its events to its listeners only', () => {
    const { manager, server, sent, socket } = setup();
    const first: WorkspaceSignal[] = [];
    const second: WorkspaceSignal[] = [];
    manager.listen('wsp_1', (signal) => first.push(signal));
    manager.listen('wsp_1', (signal) => second.push(signal));
    const other: WorkspaceSignal[] = [];
    manager.listen('wsp_2', (signal) => other.push(signal));
    expect(socket.connect).toHaveBeenCalled();
    expect(sent).toEqual([]);
    server().onOpen();
    expect(sent).toEqual([
      { type: 'workspace.subscribe', id: 'workspace-1', workspaceId: 'wsp_1' },
      { type: 'workspace.subscribe', id: 'workspace-2', workspaceId: 'wsp_2' },
    ]);
    server().onMessage(event('member.role_changed', { targetId: 'usr_max' }));
    const expected = { type: 'event', event: { kind: 'member.role_changed', targetId: 'usr_max', at: '2026-12-01T20:00:00.000Z' } };
    expect(first).toEqual([expected]);
    expect(second).toEqual([expected]);
    expect(other).toEqual([]);
  });

  it('after a reconnect it subscribes again and tells listeners to resync; a revocation is passed on', () => {
    const { manager, server, sent } = setup();
    const heard: WorkspaceSignal[] = [];
    manager.listen('wsp_1', (signal) => heard.push(signal));
    server().onOpen();
    expect(heard).toEqual([]);
    server().onClose();
    server().onOpen();
    expect(sent.filter((message) => message.type === 'workspace.subscribe')).toHaveLength(2);
    expect(heard).toEqual([{ type: 'resync' }]);
    server().onMessage({ type: 'subscription.revoked', subscription: { kind: 'workspace', workspaceId: 'wsp_1' }, reason: 'Removed.' });
    server().onMessage({ type: 'subscription.revoked', subscription: { kind: 'run', runId: 'run_1' }, reason: 'Other.' });
    expect(heard).toEqual([{ type: 'resync' }, { type: 'revoked', reason: 'Removed.' }]);
  });

  it('leaves a workspace a moment after its last listener, and closes the socket when none is left', () => {
    const { manager, server, sent, socket } = setup();
    const stop = manager.listen('wsp_1', () => undefined);
    server().onOpen();
    stop();
    // A quick remount keeps the subscription.
    const again = manager.listen('wsp_1', () => undefined);
    vi.advanceTimersByTime(5_000);
    expect(sent.filter((message) => message.type === 'workspace.unsubscribe')).toEqual([]);
    again();
    vi.advanceTimersByTime(5_000);
    expect(sent.at(-1)).toEqual({ type: 'workspace.unsubscribe', workspaceId: 'wsp_1' });
    expect(socket.close).toHaveBeenCalled();
  });
});

describe('staleQueriesOf', () => {
  const keysOf = (signal: WorkspaceSignal, me = 'usr_me') => staleQueriesOf('wsp_1', signal, me);
  const at = '2026-12-01T20:00:00.000Z';

  it('my own role change refetches the whole workspace (the role-dependent controls); someone else’s only the member lists', () => {
    expect(keysOf({ type: 'event', event: { kind: 'member.role_changed', targetId: 'usr_me', at } })).toEqual([
      { queryKey: ['workspaces', 'wsp_1'] },
      { queryKey: ['workspaces'] },
    ]);
    expect(keysOf({ type: 'event', event: { kind: 'member.role_changed', targetId: 'usr_other', at } })).toEqual([
      { queryKey: ['workspaces', 'wsp_1', 'members'] },
      { queryKey: ['workspaces', 'wsp_1', 'invitations'] },
      { queryKey: ['workspaces', 'wsp_1', 'audit'] },
    ]);
  });

  it('a new version refetches that app, its versions and runs, and the lists; never the app’s live data below it', () => {
    const stale = keysOf({ type: 'event', event: { kind: 'version.created', appId: 'app_1', targetId: 'ver_2', at } });
    expect(stale).toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'apps', 'app_1'], exact: true });
    expect(stale).toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'apps', 'app_1', 'versions'] });
    expect(stale).toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'apps'], exact: true });
    expect(stale).toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'reviews'] });
    // Prefix invalidations only where nothing live sits below.
    for (const entry of stale.filter((candidate) => !candidate.exact)) expect(entry.queryKey).not.toContain('data');
  });

  it('publishing refreshes the Apps page list without reloading an open app’s frame; reviews refresh the inbox', () => {
    const published = keysOf({ type: 'event', event: { kind: 'app.published', appId: 'app_1', targetId: 'ver_2', at } });
    expect(published).toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'published-apps'], exact: true });
    expect(published).not.toContainEqual({ queryKey: ['workspaces', 'wsp_1', 'published-apps'] });
    expect(keysOf({ type: 'event', event: { kind: 'review.requested', appId: 'app_1', targetId: 'rev_1', at } })).toContainEqual({
      queryKey: ['workspaces', 'wsp_1', 'reviews'],
    });
  });

  it('a resync or a revocation refetches everything, including whether the workspace is still ours', () => {
    expect(keysOf({ type: 'resync' })).toEqual([{ queryKey: ['workspaces', 'wsp_1'] }, { queryKey: ['workspaces'] }]);
    expect(keysOf({ type: 'revoked', reason: 'x' })).toEqual([{ queryKey: ['workspaces', 'wsp_1'] }, { queryKey: ['workspaces'] }]);
  });
});
