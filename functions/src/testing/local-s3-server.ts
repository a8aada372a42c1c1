import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake S3 saw: method and key of every request, for assertions. */
export interface LocalS3Request {
  method: string;
  key: string;
}

const errorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A tiny S3-compatible endpoint on loopback (path-style PUT/GET/HEAD of objects, kept in
 * memory), so the S3 adapter is tested through the real SDK client, its signing and its
 * error parsing. It verifies `x-amz-checksum-sha256` like S3 does.
 */
export async function startLocalS3(): Promise<{
  endpoint: string;
  objects: Map<string, Buffer>;
  requests: LocalS3Request[];
  close: () => Promise<void>;
}> {
  const objects = new Map<string, Buffer>();
  const requests: LocalS3Request[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const key = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
      requests.push({ method: request.method ?? '', key });
      response.setHeader('x-amz-request-id', 'local');
      if (request.method === 'PUT') {
        const body = await readBody(request);
        const claimed = request.headers['x-amz-checksum-sha256'];
        if (typeof claimed === 'string' && claimed !== createHash('sha256').update(body).digest('base64')) {
          response
            .writeHead(400, { 'content-type': 'application/xml' })
            .end(errorXml('BadDigest', 'The SHA256 you specified did not match the calculated checksum.'));
          return;
        }
        objects.set(key, body);
        response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
        return;
      }
      const object = objects.get(key);
      if (request.method === 'HEAD') {
        if (!object) response.writeHead(404).end();
        else response.writeHead(200, { 'content-length': object.length, 'content-type': 'application/octet-stream' }).end();
        return;
      }
      if (request.method === 'GET') {
        if (!object)
          response.writeHead(404, { 'content-type': 'application/xml' }).end(errorXml('NoSuchKey', 'The specified key does not exist.'));
        else response.writeHead(200, { 'content-length': object.length, 'content-type': 'application/octet-stream' }).end(object);
        return;
      }
      response.writeHead(405, { 'content-type': 'application/xml' }).end(errorXml('MethodNotAllowed', 'Not supported here'));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
