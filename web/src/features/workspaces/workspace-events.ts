import type { ClientMessage, ServerMessage, WorkspaceEvent } from '@hangar/protocol';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/queries';
import { ReconnectingSocket } from '../builder/reconnecting-socket';
import { governanceKeys } from '../governance/governance-api';

/** What a page learns from the workspace channel. */
export type WorkspaceSignal =
  | { type: 'event'; event: WorkspaceEvent }
  /** The channel (re)opened: events may have been missed, so everything is fetched again. */
  | { type: 'resync' }
  /** The channel was ended by the server (the person left the workspace). */
  | { type: 'revoked'; reason: string };

type Listener = (signal: WorkspaceSignal) => void;
type SocketHandlers = { onOpen: () => void; onMessage: (message: ServerMessage) => void; onClose: () => void };
/** The socket as the manager uses it; `ReconnectingSocket` in the browser, a fake in tests. */
export type WorkspaceEventSocket = { connect: () => void; send: (message: ClientMessage) => boolean; close: () => void };

/** A short pause before leaving a workspace, so a remount (StrictMode, navigation) does not churn. */
const releaseDelayMs = 2_000;

/**
 * The live console's workspace channels over one WebSocket of the tab. Each workspace is
 * subscribed once however many components listen; after a reconnect it is subscribed again and
 * listeners are told to resync, since events sent while the socket was down are not replayed.
 */
export class WorkspaceEventsManager {
  private readonly socket: WorkspaceEventSocket;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly releaseTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private connected = false;
  private everOpened = false;
  private nextRequest = 1;

  constructor(createSocket: (handlers: SocketHandlers) => WorkspaceEventSocket = (handlers) => new ReconnectingSocket(handlers)) {
    this.socket = createSocket({
      onOpen: () => this.opened(),
      onMessage: (message) => this.receive(message),
      onClose: () => {
        this.connected = false;
      },
    });
  }

  /** Listens to a workspace's events; the returned function stops listening. */
  listen(workspaceId: string, listener: Listener): () => void {
    clearTimeout(this.releaseTimers.get(workspaceId));
    this.releaseTimers.delete(workspaceId);
    let set = this.listeners.get(workspaceId);
    if (!set) {
      set = new Set();
      this.listeners.set(workspaceId, set);
      if (this.connected) this.subscribe(workspaceId);
    }
    set.add(listener);
    this.socket.connect();
    return () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.releaseTimers.set(
        workspaceId,
        setTimeout(() => {
          this.releaseTimers.delete(workspaceId);
          if ((this.listeners.get(workspaceId)?.size ?? 0) > 0) return;
          this.listeners.delete(workspaceId);
          this.socket.send({ type: 'workspace.unsubscribe', workspaceId });
          if (this.listeners.size === 0) this.socket.close();
        }, releaseDelayMs),
      );
    };
  }

  private subscribe(workspaceId: string) {
    this.socket.send({ type: 'workspace.subscribe', id: `workspace-${this.nextRequest++}`, workspaceId });
  }

  private opened() {
    this.connected = true;
    const reopened = this.everOpened;
    this.everOpened = true;
    for (const workspaceId of this.listeners.keys()) {
      this.subscribe(workspaceId);
      if (reopened) this.tell(workspaceId, { type: 'resync' });
    }
  }

  private receive(message: ServerMessage) {
    if (message.type === 'workspace.event') return this.tell(message.workspaceId, { type: 'event', event: message.event });
    if (message.type === 'subscription.revoked' && message.subscription.kind === 'workspace')
      return this.tell(message.subscription.workspaceId, { type: 'revoked', reason: message.reason });
  }

  private tell(workspaceId: string, signal: WorkspaceSignal) {
    for (const listener of [...(this.listeners.get(workspaceId) ?? [])]) listener(signal);
  }
}

/** The one manager of this tab. */
export const workspaceEvents = new WorkspaceEventsManager();

/** A query (or, unless `exact`, every query below that key) to fetch again. */
export type StaleQueries = { queryKey: QueryKey; exact?: boolean };
const below = (queryKey: QueryKey): StaleQueries => ({ queryKey });
/** Only this query: list keys sit above per-item ones (an app's live data, a published app's frame) that must not reload. */
const only = (queryKey: QueryKey): StaleQueries => ({ queryKey, exact: true });

/**
 * What a workspace change makes stale, for the person `myId`: the narrowest set that brings
 * every open page up to date (lists, the app page, the inbox, the role-dependent controls).
 */
export function staleQueriesOf(workspaceId: string, signal: WorkspaceSignal, myId: string): StaleQueries[] {
  // Everything of the workspace, and whether it is still ours.
  const everything = [below(queryKeys.workspace(workspaceId)), below(queryKeys.workspaces)];
  if (signal.type !== 'event') return everything;
  const { event } = signal;
  const audit = below(queryKeys.audit(workspaceId));
  const reviews = below(governanceKeys.reviews(workspaceId));
  const app = (appId: string | undefined): StaleQueries[] =>
    appId ? [only(queryKeys.app(workspaceId, appId)), below(governanceKeys.collaborators(workspaceId, appId))] : [];
  const appLists = [only(queryKeys.apps(workspaceId)), only(governanceKeys.publishedApps(workspaceId))];
  switch (event.kind) {
    case 'member.added':
    case 'member.removed':
    case 'member.role_changed':
      // A change of my own role changes what I may see and do: the whole workspace is fetched again.
      if (event.targetId === myId) return everything;
      return [below(queryKeys.members(workspaceId)), below(queryKeys.invitations(workspaceId)), audit];
    case 'app.created':
    case 'app.renamed':
    case 'app.deleted':
    case 'app.published':
    case 'app.unpublished':
    case 'app.visibility_changed':
    case 'app.collaborators_changed':
      return [...appLists, ...app(event.appId), reviews, audit];
    case 'version.created':
      return [
        only(queryKeys.apps(workspaceId)),
        ...app(event.appId),
        ...(event.appId ? [below(queryKeys.versions(workspaceId, event.appId)), below(queryKeys.runs(workspaceId, event.appId))] : []),
        reviews,
        audit,
      ];
    case 'review.requested':
    case 'review.decided':
    case 'review.stale':
      return [reviews, ...app(event.appId), audit];
    case 'team.created':
    case 'team.updated':
    case 'team.deleted':
    case 'team.members_changed':
      return [below(governanceKeys.teams(workspaceId)), ...appLists, audit];
    case 'settings.updated':
      return [below(governanceKeys.settings(workspaceId)), audit];
    case 'audit.purged':
      return [audit];
    default: {
      const unknown: never = event.kind;
      return unknown;
    }
  }
}

/**
 * Keeps every page of the workspace live: each pushed change refetches what it made stale, so a
 * promoted member gets the new controls, an open app page its new version, the inbox its count.
 */
export function useWorkspaceEvents(workspaceId: string, myId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!workspaceId) return;
    return workspaceEvents.listen(workspaceId, (signal) => {
      for (const stale of staleQueriesOf(workspaceId, signal, myId)) void queryClient.invalidateQueries(stale);
    });
  }, [queryClient, workspaceId, myId]);
}
