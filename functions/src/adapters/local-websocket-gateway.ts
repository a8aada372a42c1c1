/**
 * The local WebSocket gateway: API Gateway WebSocket API semantics on a Node http server, so the
 * handlers that run in Lambda run locally unchanged, and the real
 * `@aws-sdk/client-apigatewaymanagementapi` client pushes to browsers through the same
 * `@connections` management API it uses on AWS.
 *
 * Where it differs from AWS: header names are lower-cased; a `$connect` handler that throws gives
 * HTTP 500; there are no route responses, idle timeout or 2-hour connection limit; the
 * management API checks the SigV4 access key id, not the signature (it is a localhost guard).
 */
import { PushFailedError } from '../ports/connection-pusher';
import { isUtf8 } from 'node:buffer';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { limits } from '@hangar/protocol';
import type {
  WebSocketEvent,
  WebSocketEventType,
  WebSocketHandler,
  WebSocketHandlers,
  WebSocketRequestContext,
  WebSocketResult,
  WebSocketRouteKey,
} from '../realtime/websocket-event';

/** The only path the gateway upgrades; other paths are left to other upgrade listeners. */
export const localWebSocketPath = '/ws';
/** API Gateway's PostToConnection payload limit. */
const maxManagementBodyBytes = 128 * 1024;
/** Close codes ws sends for its receiver errors. */
const protocolErrorCloseCodes: Partial<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
};
/** Send options of every frame pushed to a client: text, whether given as a string or as UTF-8 bytes. */
const textFrame = { binary: false } as const;
/** How long `close()` waits for a client's closing handshake before dropping the socket. */
const closeGraceMilliseconds = 1_000;

export interface LocalWebSocketGatewayOptions {
  /** The http server whose `upgrade` event carries `/ws`. */
  server: Server;
  /** The route handlers; may be given later with `serve` (the pusher needs `managementEndpoint` first). */
  handlers?: WebSocketHandlers;
  /** Default `local`. */
  stage?: string;
  /** Default `127.0.0.1`. */
  managementHost?: string;
  /** Default 0: a free port. */
  managementPort?: number;
  /** The management API accepts only SigV4 requests signed with this access key id. */
  credentials: { accessKeyId: string };
  /** Default `limits.maxWebSocketMessageBytes`; larger messages close the connection with 1009. */
  maxMessageBytes?: number;
  log?: (message: string) => void;
}

export interface LocalWebSocketGateway {
  /** The `@connections` endpoint for the SDK client, e.g. `http://127.0.0.1:PORT/local`. */
  managementEndpoint: string;
  /** Starts accepting upgrades with these handlers; until then upgrades answer 503. */
  serve(handlers: WebSocketHandlers): void;
  connectionCount(): number;
  /**
   * Sends one text frame straight to a connection, as `PostToConnection` would, without the
   * HTTP round trip (the in-process pusher). Rejects with `PayloadTooLargeException` past 128 KB.
   * `frame` is the text, or the text already encoded as UTF-8 (one Buffer shared by every
   * connection a frame goes to); either way it goes out as a text frame.
   */
  sendToConnection(connectionId: string, frame: string | Buffer): Promise<'sent' | 'gone'>;
  /**
   * `sendToConnection` of one frame to many connections in one loop (the frame is sized once);
   * answers each connection's outcome in the order given.
   */
  sendToEach(connectionIds: readonly string[], frame: string | Buffer): Promise<('sent' | 'gone')[]>;
  /** Closes a connection, as `DeleteConnection` would. */
  closeConnection(connectionId: string): Promise<'closed' | 'gone'>;
  /** Closes every connection (each gets `$disconnect`), then the management server. */
  close(): Promise<void>;
}

interface Connection {
  id: string;
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | undefined;
  domainName: string;
}

/** What every event of one connection shares. */
interface ConnectionFacts {
  id: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string | undefined;
  domainName: string;
}

/** Starts the management API and attaches the `/ws` upgrade handler to `options.server`. */
export async function startLocalWebSocketGateway(options: LocalWebSocketGatewayOptions): Promise<LocalWebSocketGateway> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? ((message: string) => console.log(`[websocket-gateway] ${message}`));
  const maxMessageBytes = options.maxMessageBytes ?? limits.maxWebSocketMessageBytes;
  const accessKeyId = Buffer.from(options.credentials.accessKeyId);
  if (accessKeyId.length === 0) throw new Error('credentials.accessKeyId must not be empty');
  if (!/^[A-Za-z0-9_-]+$/.test(stage)) throw new Error(`invalid stage name: ${stage}`);

  const connections = new Map<string, Connection>();
  /** Handler invocations in flight; `close()` waits for them. They never reject. */
  const inFlight = new Set<Promise<unknown>>();
  /** The sub-protocol each accepted `$connect` selected, read by `handleProtocols`. */
  const selectedProtocol = new WeakMap<IncomingMessage, string>();
  let closing = false;
  let closed: Promise<void> | undefined;
  let handlers: WebSocketHandlers | undefined = options.handlers;

  const webSocketServer = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: maxMessageBytes,
    // As on API Gateway, a sub-protocol is agreed only when `$connect` returned one the client offered.
    handleProtocols: (offered, request) => {
      const chosen = selectedProtocol.get(request);
      return chosen !== undefined && offered.has(chosen) ? chosen : false;
    },
  });

  /** Only reached for connections accepted after `serve`. */
  function requireHandlers(): WebSocketHandlers {
    if (!handlers) throw new Error('the gateway is not serving yet');
    return handlers;
  }

  function invoke(handler: WebSocketHandler, event: WebSocketEvent): Promise<WebSocketResult | undefined> {
    const invocation = (async () => {
      try {
        return await handler(event);
      } catch (error) {
        const { routeKey, connectionId } = event.requestContext;
        log(`${routeKey} handler failed for ${connectionId}: ${describe(error)}`);
        return undefined;
      }
    })();
    inFlight.add(invocation);
    void invocation.then(() => inFlight.delete(invocation));
    return invocation;
  }

  function context(facts: ConnectionFacts, routeKey: WebSocketRouteKey, eventType: WebSocketEventType): WebSocketRequestContext {
    const now = new Date();
    return {
      routeKey,
      eventType,
      connectionId: facts.id,
      domainName: facts.domainName,
      stage,
      apiId: 'local',
      requestId: randomUUID(),
      connectedAt: facts.connectedAt,
      requestTimeEpoch: now.getTime(),
      requestTime: commonLogFormat(now),
      messageDirection: 'IN',
      extendedRequestId: newApiGatewayId(),
      identity: { sourceIp: facts.sourceIp, ...(facts.userAgent === undefined ? {} : { userAgent: facts.userAgent }) },
    };
  }

  function disconnected(facts: ConnectionFacts, statusCode: number, reason: string): void {
    void invoke(requireHandlers().disconnect, {
      requestContext: { ...context(facts, '$disconnect', 'DISCONNECT'), disconnectStatusCode: statusCode, disconnectReason: reason },
      headers: { host: facts.domainName },
      multiValueHeaders: { host: [facts.domainName] },
      isBase64Encoded: false,
    });
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    if (!isWebSocketHandshake(request)) return refuse(socket, 400);
    if (closing || !handlers) return refuse(socket, 503);
    const facts: ConnectionFacts = {
      id: newConnectionId(connections),
      connectedAt: Date.now(),
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: request.headers['user-agent'],
      domainName: request.headers.host ?? 'localhost',
    };
    const result = await invoke(requireHandlers().connect, {
      requestContext: context(facts, '$connect', 'CONNECT'),
      headers: singleValueHeaders(request.headers),
      multiValueHeaders: multiValueHeaders(request.rawHeaders),
      ...queryParameters(url.searchParams),
      isBase64Encoded: false,
    });
    const statusCode = result?.statusCode ?? 500;
    if (statusCode < 200 || statusCode > 299) return refuse(socket, statusCode, result?.body);
    if (closing || socket.destroyed || !socket.writable) {
      refuse(socket, 503);
      return disconnected(facts, 1006, 'Connection closed before the upgrade completed');
    }
    const protocol = headerValue(result?.headers, 'sec-websocket-protocol');
    if (protocol !== undefined) selectedProtocol.set(request, protocol);
    // If ws aborts the handshake, the socket closes without a WebSocket: still owe a `$disconnect`.
    const onAbort = () => disconnected(facts, 1006, 'Handshake aborted');
    socket.once('close', onAbort);
    webSocketServer.handleUpgrade(request, socket, head, (webSocket) => {
      socket.off('close', onAbort);
      register(webSocket, facts);
    });
  }

  function register(socket: WebSocket, facts: ConnectionFacts): void {
    const connection: Connection = { ...facts, socket, lastActiveAt: Date.now() };
    connections.set(facts.id, connection);
    // ws closes with 1009/1007/1002 on a protocol error but then stops reading, so `close` reports 1006.
    let protocolError: { code: number; reason: string } | undefined;
    socket.on('error', (error: Error & { code?: string }) => {
      protocolError = { code: protocolErrorCloseCodes[error.code ?? ''] ?? 1002, reason: error.message };
      log(`connection ${facts.id}: ${error.message}`);
    });
    socket.on('message', (data, isBinary) => {
      connection.lastActiveAt = Date.now();
      const bytes = toBuffer(data);
      void invoke(requireHandlers().message, {
        requestContext: { ...context(facts, '$default', 'MESSAGE'), messageId: newApiGatewayId() },
        body: isBinary ? bytes.toString('base64') : bytes.toString('utf8'),
        isBase64Encoded: isBinary,
      });
    });
    socket.once('close', (code, reason) => {
      if (connections.get(facts.id) === connection) connections.delete(facts.id);
      if (code === 1006 && protocolError !== undefined) disconnected(facts, protocolError.code, protocolError.reason);
      else disconnected(facts, code, reason.toString('utf8'));
    });
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = parseUrl(request.url);
    if (url?.pathname !== localWebSocketPath) {
      // Another listener (a dev server's HMR, say) may own this path; refuse only when none exists.
      if (options.server.listenerCount('upgrade') === 1) refuse(socket, 404);
      return;
    }
    const onEarlyError = (error: Error) => log(`upgrade socket error: ${error.message}`);
    socket.on('error', onEarlyError);
    upgrade(request, socket, head, url)
      .catch((error: unknown) => {
        log(`upgrade failed: ${describe(error)}`);
        socket.destroy();
      })
      .finally(() => socket.off('error', onEarlyError));
  };

  function authorized(authorization: string | undefined): boolean {
    const given = /Credential=([^/\s,]+)\//.exec(authorization ?? '')?.[1];
    if (given === undefined) return false;
    const givenBytes = Buffer.from(given);
    return givenBytes.length === accessKeyId.length && timingSafeEqual(givenBytes, accessKeyId);
  }

  async function manage(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('x-amzn-requestid', randomUUID());
    if (!authorized(request.headers.authorization)) return sendError(response, 403, 'ForbiddenException', 'Forbidden');
    const connectionId = parseConnectionPath(request.url ?? '', stage);
    if (connectionId === undefined) return sendError(response, 404, 'NotFoundException', 'Not Found');
    if (connectionId === null) return sendError(response, 400, 'BadRequestException', 'Invalid connection id');

    if (request.method === 'POST') {
      const body = await readBody(request, maxManagementBodyBytes);
      if (body === 'too-large') {
        response.setHeader('connection', 'close');
        return sendError(response, 413, 'PayloadTooLargeException', `Payload exceeds ${maxManagementBodyBytes} bytes`);
      }
      const connection = connections.get(connectionId);
      if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) return sendGone(response);
      const sent = await send(connection.socket, body);
      if (!sent) return sendGone(response);
      connection.lastActiveAt = Date.now();
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' }).end();
      return;
    }
    const connection = connections.get(connectionId);
    if (request.method === 'GET') {
      if (connection === undefined) return sendGone(response);
      return sendJson(response, 200, {
        connectedAt: new Date(connection.connectedAt).toISOString(),
        identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? '' },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
    }
    if (request.method === 'DELETE') {
      if (connection === undefined) return sendGone(response);
      connections.delete(connectionId);
      void closeSocket(connection.socket, 1000, '');
      response.writeHead(204).end();
      return;
    }
    response.setHeader('allow', 'GET, POST, DELETE');
    return sendError(response, 405, 'MethodNotAllowedException', 'Method Not Allowed');
  }

  const managementServer = createServer((request, response) => {
    manage(request, response).catch((error: unknown) => {
      log(`management request failed: ${describe(error)}`);
      if (!response.headersSent) sendError(response, 500, 'InternalServerErrorException', 'Internal Server Error');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    managementServer.once('error', reject);
    managementServer.listen(options.managementPort ?? 0, options.managementHost ?? '127.0.0.1', () => {
      managementServer.off('error', reject);
      resolve();
    });
  });
  managementServer.on('error', (error) => log(`management server: ${error.message}`));
  const address = managementServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  options.server.on('upgrade', onUpgrade);

  async function shutDown(): Promise<void> {
    closing = true;
    options.server.off('upgrade', onUpgrade);
    await Promise.all([...connections.values()].map((connection) => closeSocket(connection.socket, 1001, 'Going away')));
    // Connects in flight when closing began end in `$disconnect` invocations of their own.
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    webSocketServer.close();
    await new Promise<void>((resolve) => {
      managementServer.close(() => resolve());
      managementServer.closeAllConnections();
    });
  }

  async function sendToConnection(connectionId: string, frame: string | Buffer): Promise<'sent' | 'gone'> {
    if ((typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength) > maxManagementBodyBytes) throw payloadTooLarge();
    const connection = connections.get(connectionId);
    if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) return 'gone';
    const sent = await new Promise<boolean>((resolve) =>
      connection.socket.send(frame, textFrame, (error) => resolve(error === undefined || error === null)),
    );
    if (!sent) return 'gone';
    connection.lastActiveAt = Date.now();
    return 'sent';
  }

  function sendToEach(connectionIds: readonly string[], frame: string | Buffer): Promise<('sent' | 'gone')[]> {
    if ((typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength) > maxManagementBodyBytes) {
      return Promise.reject(payloadTooLarge());
    }
    const outcomes: ('sent' | 'gone')[] = connectionIds.map(() => 'gone');
    return new Promise((resolve) => {
      // One count of writes in flight instead of a promise per connection.
      let writing = 1;
      const written = () => {
        if (--writing === 0) resolve(outcomes);
      };
      connectionIds.forEach((connectionId, index) => {
        const connection = connections.get(connectionId);
        if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) return;
        writing++;
        connection.socket.send(frame, textFrame, (error) => {
          if (error === undefined || error === null) {
            outcomes[index] = 'sent';
            connection.lastActiveAt = Date.now();
          }
          written();
        });
      });
      written();
    });
  }

  function closeConnection(connectionId: string): Promise<'closed' | 'gone'> {
    const connection = connections.get(connectionId);
    if (connection === undefined) return Promise.resolve('gone');
    connections.delete(connectionId);
    void closeSocket(connection.socket, 1000, '');
    return Promise.resolve('closed');
  }

  return {
    managementEndpoint: `http://${host}:${address.port}/${stage}`,
    serve(ready: WebSocketHandlers) {
      handlers = ready;
    },
    connectionCount: () => connections.size,
    sendToConnection,
    sendToEach,
    closeConnection,
    close: () => (closed ??= shutDown()),
  };
}

/** A direct send over the `PostToConnection` limit fails as the SDK path does: not retryable, 413. */
function payloadTooLarge(): Error {
  return new PushFailedError(`push failed (413): Payload exceeds ${maxManagementBodyBytes} bytes`, false, 413);
}

/** API Gateway connection ids look like `Jq1fHdAUIAMCE0g=`: 11 random bytes, base64. */
function newApiGatewayId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

function newConnectionId(taken: ReadonlyMap<string, unknown>): string {
  for (;;) {
    const id = newApiGatewayId();
    if (!taken.has(id)) return id;
  }
}

function isWebSocketHandshake(request: IncomingMessage): boolean {
  const { upgrade, 'sec-websocket-key': key, 'sec-websocket-version': version } = request.headers;
  return (
    request.method === 'GET' &&
    upgrade?.toLowerCase() === 'websocket' &&
    key !== undefined &&
    /^[+/0-9A-Za-z]{22}==$/.test(key) &&
    (version === '13' || version === '8')
  );
}

/** Answers an upgrade request with a plain HTTP response and closes the socket. */
function refuse(socket: Duplex, statusCode: number, body?: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // The client may reset mid-write; an unhandled socket error would crash the host.
  socket.on('error', () => socket.destroy());
  const status = Number.isInteger(statusCode) && statusCode >= 200 && statusCode <= 599 ? statusCode : 500;
  const text = body ?? STATUS_CODES[status] ?? '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function closeSocket(socket: WebSocket, code: number, reason: string): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), closeGraceMilliseconds);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState !== socket.CLOSING) socket.close(code, reason);
  });
}

/** Sends one frame: text when the bytes are UTF-8 (what PostToConnection carries), else binary. */
function send(socket: WebSocket, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    socket.send(bytes, { binary: !isUtf8(bytes) }, (error) => resolve(error === undefined || error === null));
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function parseUrl(url: string | undefined): URL | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** The connection id of `/{stage}/@connections/{id}`; undefined for other paths, null if undecodable. */
function parseConnectionPath(url: string, stage: string): string | null | undefined {
  const path = url.split('?')[0] ?? '';
  const prefix = `/${stage}/@connections/`;
  if (!path.startsWith(prefix)) return undefined;
  const encoded = path.slice(prefix.length);
  if (encoded === '' || encoded.includes('/')) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** `x-amzn-errortype` is what the SDK reads to throw the named exception. */
function sendError(response: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(response, status, { message }, { 'x-amzn-errortype': errorType });
}

function sendGone(response: ServerResponse): void {
  sendError(response, 410, 'GoneException', 'Connection is gone');
}

function singleValueHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function multiValueHeaders(rawHeaders: readonly string[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    (result[name] ??= []).push(rawHeaders[index + 1] ?? '');
  }
  return result;
}

/** API Gateway omits both query maps when there is no query string; the single map keeps the last value. */
function queryParameters(search: URLSearchParams): Pick<WebSocketEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'> {
  if (search.size === 0) return {};
  const single: Record<string, string> = {};
  const multiple: Record<string, string[]> = {};
  for (const [name, value] of search) {
    single[name] = value;
    (multiple[name] ??= []).push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multiple };
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Nov/2026:12:00:00 +0000`, the format of `requestContext.requestTime`. */
function commonLogFormat(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
