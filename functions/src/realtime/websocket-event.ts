/**
 * The API Gateway WebSocket API Lambda event, as the same handlers receive it on AWS and from the
 * local WebSocket gateway. Runtime-free: shared by the Lambda entry point and the local host.
 *
 * Route lifecycle of one connection:
 *
 *   upgrade ──$connect──▶ 2xx? ──no──▶ HTTP error, no socket
 *                           │yes
 *                           ▼
 *                         open ──frame──▶ $default (once per message, not ordered)
 *                           │
 *          client close / DeleteConnection / gateway close
 *                           ▼
 *                       $disconnect (exactly once)
 */

/** The three routes Hangar uses; custom route keys are not used. */
export type WebSocketRouteKey = '$connect' | '$disconnect' | '$default';

/** API Gateway's event type for each route. */
export type WebSocketEventType = 'CONNECT' | 'DISCONNECT' | 'MESSAGE';

/** `requestContext` of a WebSocket API Lambda event. */
export interface WebSocketRequestContext {
  routeKey: WebSocketRouteKey;
  eventType: WebSocketEventType;
  connectionId: string;
  domainName: string;
  stage: string;
  apiId: string;
  requestId: string;
  /** Set on MESSAGE events only. */
  messageId?: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** Epoch milliseconds. */
  requestTimeEpoch: number;
  /** Common Log Format, e.g. `09/Nov/2026:12:00:00 +0000`. */
  requestTime: string;
  messageDirection: 'IN';
  extendedRequestId: string;
  identity: { sourceIp: string; userAgent?: string };
  /** Set on DISCONNECT events only. */
  disconnectStatusCode?: number;
  /** Set on DISCONNECT events only. */
  disconnectReason?: string;
}

/**
 * A WebSocket API Lambda event. `headers` and the query maps are present on `$connect` (and some
 * headers on `$disconnect`); `body` on `$default`. Handlers should look headers up
 * case-insensitively: API Gateway keeps the client's casing, the local gateway lower-cases them.
 */
export interface WebSocketEvent {
  requestContext: WebSocketRequestContext;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  body?: string;
  isBase64Encoded: boolean;
}

/**
 * A route's result. On `$connect` a non-2xx `statusCode` refuses the upgrade with that status;
 * `headers['Sec-WebSocket-Protocol']` selects a sub-protocol the client offered. On other routes
 * the result is ignored (no route responses are configured).
 */
export interface WebSocketResult {
  statusCode: number;
  body?: string;
  headers?: Record<string, string>;
}

/** One route handler. */
export type WebSocketHandler = (event: WebSocketEvent) => Promise<WebSocketResult>;

/** The handlers for the three routes. */
export interface WebSocketHandlers {
  connect: WebSocketHandler;
  disconnect: WebSocketHandler;
  message: WebSocketHandler;
}
