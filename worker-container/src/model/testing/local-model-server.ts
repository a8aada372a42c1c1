import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request received by the local model server, with its JSON body parsed. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

export interface LocalModelServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (port 0) that records requests and answers with `respond`. */
export async function startLocalModelServer(respond: Responder): Promise<LocalModelServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);
      Promise.resolve(respond(request, response)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * Answers `text/event-stream` with the given SSE text, written in small pieces so that events
 * straddle network reads. With `stallAfterEvents`, sends that many events and then keeps the
 * connection open without ending it (the client is expected to abort).
 */
export function replayServerSentEvents(response: ServerResponse, sse: string, options: { stallAfterEvents?: number } = {}): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events = sse.split(/(?<=\n\n)/);
  const sent = options.stallAfterEvents === undefined ? events : events.slice(0, options.stallAfterEvents);
  const text = sent.join('');
  for (let offset = 0; offset < text.length; offset += 41) response.write(text.slice(offset, offset + 41));
  if (options.stallAfterEvents === undefined) response.end();
}

/** Answers a JSON error body with the given status. */
export function answerJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
