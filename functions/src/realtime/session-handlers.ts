import { ClientMessage, limits, type ServerMessage } from '@hangar/protocol';
import type { Authenticated, Authenticator } from '../auth/authenticator';
import { sessionCookieName } from '../auth/session-cookie';
import { collections } from '../domain/records';
import type { Clock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { DocumentStore, StoredDocument } from '../ports/document-store';
import type { DataService } from '../domain/data-service';
import { HangarError } from '../domain/errors';
import type { DataRelay } from './data-relay';
import type { RunSubscriptionHub } from './run-subscriptions';
import type { WebSocketEvent, WebSocketHandlers, WebSocketResult } from './websocket-event';

interface ConnectionRecord extends StoredDocument {
  userId: string;
  email: string;
  via: 'cookie' | 'bearer';
  connectedAt: string;
}

export interface SessionHandlerDependencies {
  authenticator: Authenticator;
  pusher: ConnectionPusher;
  store: DocumentStore;
  clock: Clock;
  /** Run streaming, with the check that an identity may read a run; absent without the builder. */
  runs?: { hub: RunSubscriptionHub; canRead: (identityId: string, email: string, workspaceId: string, runId: string) => Promise<boolean> };
  /** Live app data: the relay and the access rules; absent without the data API. */
  data?: { relay: DataRelay; service: DataService };
  /** Origins besides the connection's own host that may open cookie-authenticated sockets. */
  trustedOrigins?: string[];
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
  const connections = () => deps.store.collection<ConnectionRecord>(collections.connections);
  const log = deps.log ?? (() => undefined);
  const send = async (connectionId: string, message: ServerMessage) => {
    if ((await deps.pusher.post(connectionId, message)) === 'gone') await connections().deleteOne({ _id: connectionId });
  };

  return {
    async connect(event) {
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
        const origin = header(event, 'origin');
        const host = header(event, 'host') ?? event.requestContext.domainName;
        const allowed = origin !== undefined && (deps.trustedOrigins?.includes(origin) || new URL(origin).host === host);
        if (!allowed) return status(403);
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
          const allowed = deps.runs && (await deps.runs.canRead(connection.userId, connection.email, message.workspaceId, message.runId));
          if (!deps.runs || !allowed) {
            // Same answer for "no such run" and "not yours": existence is not revealed.
            await send(connectionId, {
              type: 'session.error',
              ...(message.id ? { id: message.id } : {}),
              code: 'not_found',
              message: 'Run not found.',
            });
            return status(404);
          }
          await deps.runs.hub.subscribe(connectionId, message.runId, message.after, message.id);
          return status(200);
        }
        case 'run.unsubscribe':
          await deps.runs?.hub.unsubscribe(connectionId, message.runId);
          return status(200);
        case 'data.subscribe': {
          const replyId = message.id ? { id: message.id } : {};
          if (!deps.data) {
            await send(connectionId, { type: 'session.error', ...replyId, code: 'not_found', message: 'Live data is not available here.' });
            return status(404);
          }
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
          await deps.data?.relay.unsubscribe(connectionId, message);
          return status(200);
        default: {
          const unhandled: never = message;
          log(`unhandled message ${JSON.stringify(unhandled)}`);
          return status(400);
        }
      }
    },

    async disconnect(event) {
      await deps.runs?.hub.dropConnection(event.requestContext.connectionId);
      await deps.data?.relay.dropConnection(event.requestContext.connectionId);
      await connections().deleteOne({ _id: event.requestContext.connectionId });
      return status(200);
    },
  };
}
