import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../__fixtures__/${name}`, import.meta.url)), 'utf8');

/** The test integration's certificate, for `unsafeTestOverrides.ca`. */
export const testIntegrationCa = fixture('test-tls.crt');

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestIntegrationServer {
  port: number;
  requests: RecordedRequest[];
  /** Replaces the handler; the default answers 200 with a JSON echo. */
  handle(handler: (request: RecordedRequest, response: ServerResponse) => void): void;
  close(): Promise<void>;
}

/** A local HTTPS server standing in for a third-party integration (test-only certificate). */
export async function startTestIntegrationServer(): Promise<TestIntegrationServer> {
  const requests: RecordedRequest[] = [];
  let handler = (request: RecordedRequest, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, path: request.url }));
  };
  const server = createServer({ key: fixture('test-tls.key'), cert: testIntegrationCa }, (incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
