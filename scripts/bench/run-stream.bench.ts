import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiGatewayConnectionPusher } from '../../functions/src/adapters/apigateway-connection-pusher';
import { createDocumentRunEventLog } from '../../functions/src/adapters/document-run-event-log';
import { startLocalWebSocketGateway } from '../../functions/src/adapters/local-websocket-gateway';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import { createMemoryConnectionRegistry } from '../../functions/src/adapters/memory-connection-registry';
import { createPushDelivery } from '../../functions/src/realtime/push-delivery';
import { RunStreams } from '../../functions/src/realtime/run-streams';
import { format, percentile, printTable } from './measure';

const events = 500;

/** Waits for the next message on a socket. */
const nextMessage = (socket: WebSocket) => new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));

/**
 * Run event latency: an append to the run event log (what the internal API does for a worker)
 * until a WebSocket client holds the `run.event` frame — pushed on append by the run streams
 * through the registry, the real API Gateway management client and the local gateway. Baseline: a
 * raw `ws` server sending the same frame to the same kind of client, measured in the same run.
 */
export async function benchRunStream(): Promise<void> {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const log = createDocumentRunEventLog(store);
  await log.ensureIndexes();
  const server: Server = createServer();
  const accessKeyId = `BENCH${randomBytes(4).toString('hex')}`;
  let streams: RunStreams | null = null;
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId },
    handlers: {
      connect: () => Promise.resolve({ statusCode: 200 }),
      disconnect: () => Promise.resolve({ statusCode: 200 }),
      message: async (event) => {
        const body = JSON.parse(event.body ?? '{}') as { runId: string };
        await streams?.subscribe(event.requestContext.connectionId, 'usr_bench', body.runId, undefined);
        return { statusCode: 200 };
      },
    },
  });
  const pusher = new ApiGatewayConnectionPusher({
    endpoint: gateway.managementEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'bench' },
  });
  const registry = createMemoryConnectionRegistry();
  streams = new RunStreams({ events: log, registry, deliver: createPushDelivery(pusher) });
  const pushing = streams.log;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((resolve) => client.once('open', resolve));
  const runId = 'run_bench';
  const subscribed = nextMessage(client);
  client.send(JSON.stringify({ runId }));
  await subscribed;
  const pipeline: number[] = [];
  for (let i = 0; i < events; i++) {
    const received = nextMessage(client);
    const started = performance.now();
    await pushing.append(runId, { type: 'text.delta', text: `token ${i} ` });
    await received;
    pipeline.push(performance.now() - started);
  }
  client.close();
  await registry.close();
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));
  await store.close();

  // Baseline: a raw WebSocket broadcast of a frame of the same size.
  const rawServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => rawServer.once('listening', resolve));
  const rawPort = (rawServer.address() as AddressInfo).port;
  const connected = new Promise<WebSocket>((resolve) => rawServer.once('connection', resolve));
  const rawClient = new WebSocket(`ws://127.0.0.1:${rawPort}`);
  const serverSide = await connected;
  await new Promise((resolve) => rawClient.once('open', resolve));
  const frame = JSON.stringify({
    type: 'run.event',
    runId,
    event: { id: '000000000001', runId, time: new Date().toISOString(), event: { type: 'text.delta', text: 'token 0 ' } },
  });
  const raw: number[] = [];
  for (let i = 0; i < events; i++) {
    const received = nextMessage(rawClient);
    const started = performance.now();
    serverSide.send(frame);
    await received;
    raw.push(performance.now() - started);
  }
  rawClient.close();
  await new Promise((resolve) => rawServer.close(resolve));

  printTable(`Run event latency, append → WebSocket client, ${events} events one at a time`, [
    [
      'log append → registry → SDK PostToConnection → gateway → client',
      `p50 ${format(percentile(pipeline, 50), 2)} ms, p99 ${format(percentile(pipeline, 99), 2)} ms`,
    ],
    ['  baseline: raw ws send → client', `p50 ${format(percentile(raw, 50), 3)} ms, p99 ${format(percentile(raw, 99), 3)} ms`],
    ['  overhead ratio (p50)', `${format(percentile(pipeline, 50) / percentile(raw, 50), 1)}×`],
  ]);
}
