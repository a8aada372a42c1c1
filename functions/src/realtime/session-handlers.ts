import { ClientMessage, limits, type ServerMessage } from '@hangar/protocol';
import type { Authenticated, Authenticator } from '../auth/authenticator';
import { sessionCookieName } from '../auth/session-cookie';
import type { Clock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { DocumentStore } from '../ports/document-store';
import { InvalidEventIdError } from '../ports/run-event-log';
import type { DataService } from '../domain/data-service';
import { HangarError } from '../domain/errors';
import { hostAllowed, originAllowed, type HostAllowList, type OriginAllowList } from '../http/request-policy';
import { connectionRecords } from './connection-records';
import type { DataRelay } from './data-relay';
import type { Deliver } from './push-delivery';
import type { RunStreams } from './run-streams';
import type { WebSocketEvent, WebSocketHandlers, WebSocketResult } from './websocket-event';
import type { WorkspaceChannel } from './workspace-channel';

export interface SessionHandlerDependencies {
  authenticator: Authenticator;
  /** Closes connections that send before they are known (e.g. after a `$connect` record was lost). */
  pusher: ConnectionPusher;
  /** Sends answers with the product's push policy. */
  deliver: Deliver;
  store: DocumentStore;
  clock: Clock;
  /** Run streaming, with the check that a person may read a run. */
  runs: { streams: RunStreams; canRead: (userId: string, workspaceId: string, runId: string) => Promise<boolean> };
  /** Live app data: the relay and the access rules. */
  data: { relay: DataRelay; service: DataService };
  /** The live console's workspace channel, and who may follow a workspace (its members). */
  workspace: { channel: WorkspaceChannel; mayFollow: (userId: string, workspaceId: string) => Promise<boolean> };
  /** The origins whose pages may open cookie-authenticated sockets (configured, never the request's own Host). */
  allowedOrigins: OriginAllowList;
  /** Host names the server answers for; null where the platform routes by domain (API Gateway). */
  allowedHosts: HostAllowList | null;
  log?: (message: string) => void;
}

/** Header lookup that ignores case: API Gateway keeps the client's casing, the local gateway lower-cases. */
function header(event: WebSocketEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of cookieHeader?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

const status = (statusCode: number): WebSocketResult => ({ statusCode });

/**
 * The `$connect`, `$disconnect` and `$default` handlers: the same code runs in Lambda behind
 * API Gateway and locally behind the local gateway. Connections authenticate once, at `$connect`,
 * with the session cookie (plus the tab's `identity` query parameter) or a bearer `token`.
 */
export function createSessionHandlers(deps: SessionHandlerDependencies): WebSocketHandlers {
  const connections = () => connectionRecords(deps.store);
  const log = deps.log ?? (() => undefined);
  const send = async (connectionId: string, message: ServerMessage) => {
    if ((await deps.deliver(connectionId, message)) !== 'sent') await connections().deleteOne({ _id: connectionId });
  };

  return {
    async connect(event) {
      // DNS rebinding: a page on another name that resolves to this host gets nothing, not even a 401.
      if (!hostAllowed(deps.allowedHosts, header(event, 'host'))) return status(403);
      const query = event.queryStringParameters ?? {};
      let auth: Authenticated | null;
      try {
        auth = await deps.authenticator.authenticate({
          sessionCookie: cookieValue(header(event, 'cookie'), sessionCookieName),
          authorization: query.token ? `Bearer ${query.token}` : undefined,
          identityId: query.identity,
        });
      } catch {
        return status(401);
      }
      if (!auth) return status(401);
      if (auth.via === 'cookie') {
        // Cookies ride along on cross-site WebSocket handshakes: only our own pages may use them.
        // `null`, non-URL and wrong-scheme origins are simply not on the list.
        if (!originAllowed(deps.allowedOrigins, header(event, 'origin'))) return status(403);
      }
      await connections().insertOne({
        _id: event.requestContext.connectionId,
        userId: auth.identity.id,
        email: auth.identity.email,
        via: auth.via,
        connectedAt: deps.clock.now().toISOString(),
      });
      return status(200);
    },

    async message(event) {
      const { connectionId } = event.requestContext;
      const connection = await connections().findOne({ _id: connectionId });
      if (!connection) {
        await deps.pusher.disconnect(connectionId);
        return status(401);
      }
      const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
      let parsed: ReturnType<typeof ClientMessage.safeParse> | null = null;
      if (text.length <= limits.maxWebSocketMessageBytes) {
        try {
          parsed = ClientMessage.safeParse(JSON.parse(text));
        } catch {
          parsed = null;
        }
      }
      if (!parsed?.success) {
        await send(connectionId, {
          type: 'session.error',
          code: 'validation_failed',
          message: 'Messages are JSON objects with a known type.',
        });
        return status(400);
      }
      const message = parsed.data;
      switch (message.type) {
        case 'session.ping':
          await send(connectionId, {
            type: 'session.pong',
            ...(message.id ? { id: message.id } : {}),
            connectionId,
            identityId: connection.userId,
            time: deps.clock.now().toISOString(),
          });
          return status(200);
        case 'run.subscribe': {
          const allowed = await deps.runs.canRead(connection.userId, message.workspaceId, message.runId);
          if (!allowed) {
            // Same answer for "no such run" and "not yours": existence is not revealed.
            await send(connectionId, {
              type: 'session.error',
              ...(message.id ? { id: message.id } : {}),
              code: 'not_found',
              message: 'Run not found.',
            });
            return status(404);
          }
          try {
            await deps.runs.streams.subscribe(connectionId, connection.userId, message.runId, message.after, message.id);
          } catch (error) {
            if (!(error instanceof InvalidEventIdError)) throw error;
            await send(connectionId, {
              type: 'session.error',
              ...(message.id ? { id: message.id } : {}),
              code: 'bad_request',
              message: 'after must be an event id from this run.',
            });
            return status(400);
          }
          return status(200);
        }
        case 'run.unsubscribe':
          await deps.runs.streams.unsubscribe(connectionId, message.runId);
          return status(200);
        case 'data.subscribe': {
          const replyId = message.id ? { id: message.id } : {};
          const actor = {
            identity: { id: connection.userId, email: connection.email, name: connection.email, provider: 'local' as const },
            source: 'websocket' as const,
          };
          const key = { workspaceId: message.workspaceId, appId: message.appId, scope: message.scope, collection: message.collection };
          try {
            await deps.data.service.authorize(actor, key.workspaceId, key.appId, key.scope, 'read', key.collection);
          } catch (error) {
            const code = error instanceof HangarError ? error.code : 'internal';
            const text = error instanceof HangarError && error.expose ? error.message : 'Subscription refused.';
            await send(connectionId, { type: 'session.error', ...replyId, code, message: text });
            return status(error instanceof HangarError ? error.status : 500);
          }
          const position = await deps.data.relay.subscribe(connectionId, connection.userId, key);
          await send(connectionId, {
            type: 'data.subscribed',
            ...replyId,
            appId: key.appId,
            scope: key.scope,
            collection: key.collection,
            ...position,
          });
          return status(200);
        }
        case 'data.unsubscribe':
          await deps.data.relay.unsubscribe(connectionId, message);
          return status(200);
        case 'workspace.subscribe': {
          if (!(await deps.workspace.mayFollow(connection.userId, message.workspaceId))) {
            // Same answer for "no such workspace" and "not yours", as over HTTP.
            await send(connectionId, {
              type: 'session.error',
              ...(message.id ? { id: message.id } : {}),
              code: 'not_found',
              message: 'Workspace not found.',
            });
            return status(404);
          }
          await deps.workspace.channel.subscribe(connectionId, connection.userId, message.workspaceId, message.id);
          return status(200);
        }
        case 'workspace.unsubscribe':
          await deps.workspace.channel.unsubscribe(connectionId, message.workspaceId);
          return status(200);
        default: {
          const unhandled: never = message;
          log(`unhandled message ${JSON.stringify(unhandled)}`);
          return status(400);
        }
      }
    },

    async disconnect(event) {
      // One registry holds data and run subscriptions alike.
      await deps.data.relay.dropConnection(event.requestContext.connectionId);
      await connections().deleteOne({ _id: event.requestContext.connectionId });
      return status(200);
    },
  };
}
