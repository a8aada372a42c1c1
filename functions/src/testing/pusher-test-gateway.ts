import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { startLocalWebSocketGateway, type LocalWebSocketGateway } from '../adapters/local-websocket-gateway';
import type { ConnectionPusher } from '../ports/connection-pusher';
import type { PusherContractSubject, PusherTestClient } from '../ports/connection-pusher.contract';

/** The access key id the test gateway's management API accepts (any secret signs). */
export const pusherTestAccessKeyId = 'PUSHERCONTRACTKEY';

/** A real local gateway on a loopback port; clients are tagged by query so the test knows their ids. */
export async function startPusherTestGateway(
  choosePusher: (gateway: LocalWebSocketGateway) => ConnectionPusher,
): Promise<PusherContractSubject> {
  const server = createServer((_request, response) => response.writeHead(404).end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const connectionIds = new Map<string, string>();
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId: pusherTestAccessKeyId },
    log: () => undefined,
    handlers: {
      connect: (event) => {
        const tag = event.queryStringParameters?.tag ?? '';
        connectionIds.set(tag, event.requestContext.connectionId);
        return Promise.resolve({ statusCode: 200 });
      },
      message: () => Promise.resolve({ statusCode: 200 }),
      disconnect: (event) => {
        events.emit(`disconnected:${event.requestContext.connectionId}`);
        return Promise.resolve({ statusCode: 200 });
      },
    },
  });
  const pusher = choosePusher(gateway);
  const port = (server.address() as AddressInfo).port;
  const sockets: WebSocket[] = [];
  let tags = 0;

  async function connect(): Promise<PusherTestClient> {
    const tag = `client${++tags}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?tag=${tag}`);
    sockets.push(socket);
    const frames: unknown[] = [];
    const arrived = new EventEmitter();
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) throw new Error('expected a text frame');
      frames.push(JSON.parse(data.toString('utf8')));
      arrived.emit('frame');
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await once(socket, 'open');
    const connectionId = connectionIds.get(tag);
    if (connectionId === undefined) throw new Error('the gateway did not report the connection');
    const waitUntil = (done: (received: unknown[]) => boolean) =>
      new Promise<unknown[]>((resolve) => {
        const check = () => {
          if (!done(frames)) return;
          arrived.off('frame', check);
          resolve(frames);
        };
        arrived.on('frame', check);
        check();
      });
    return {
      connectionId,
      frames,
      closed,
      waitUntil,
      waitForFrames: (count) => waitUntil((received) => received.length >= count),
      async close() {
        const gone = once(events, `disconnected:${connectionId}`);
        socket.close();
        await gone;
      },
    };
  }

  return {
    pusher,
    connect,
    async cleanup() {
      for (const socket of sockets) socket.terminate();
      await gateway.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
