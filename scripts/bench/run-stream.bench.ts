import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiGatewayConnectionPusher } from '../../functions/src/adapters/apigateway-connection-pusher';
import { createDocumentRunEventLog } from '../../functions/src/adapters/document-run-event-log';
import { InProcessConnectionPusher } from '../../functions/src/adapters/in-process-connection-pusher';
import { startLocalWebSocketGateway } from '../../functions/src/adapters/local-websocket-gateway';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import type { ConnectionPusher } from '../../functions/src/ports/connection-pusher';
import { createMemoryConnectionRegistry } from '../../functions/src/adapters/memory-connection-registry';
import { createPushDelivery } from '../../functions/src/realtime/push-delivery';
import { RunStreams } from '../../functions/src/realtime/run-streams';
import type { Bench } from './bench-report';
import { percentile, repeat } from './measure';

const eventsPerRepetition = 100;
const repetitions = { warmups: 1, repetitions: 5 };

/** Waits for the next message on a socket. */
const nextMessage = (socket: WebSocket) => new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));

/** Per-repetition p50 of append → client for one pusher (each event waited for before the next). */
async function pipelineP50s(
  pusherFor: (gateway: Awaited<ReturnType<typeof startLocalWebSocketGateway>>, accessKeyId: string) => ConnectionPusher,
) {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const log = createDocumentRunEventLog(store);
  await log.ensureIndexes();
  const server: Server = createServer();
  const accessKeyId = `BENCH${randomBytes(4).toString('hex')}`;
  let streams: RunStreams | null = null;
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId },
    log: () => undefined,
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
  const registry = createMemoryConnectionRegistry();
  streams = new RunStreams({ events: log, registry, deliver: createPushDelivery(pusherFor(gateway, accessKeyId)) });
  const pushing = streams.log;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`);
  await new Promise((resolve) => client.once('open', resolve));
  const runId = 'run_bench';
  const subscribed = nextMessage(client);
  client.send(JSON.stringify({ runId }));
  await subscribed;
  const p50s = await repeat(repetitions, async () => {
    const latencies: number[] = [];
    for (let i = 0; i < eventsPerRepetition; i++) {
      const received = nextMessage(client);
      const started = performance.now();
      await pushing.append(runId, { type: 'text.delta', text: `token ${i} ` });
      await received;
      latencies.push(performance.now() - started);
    }
    return percentile(latencies, 50);
  });
  client.close();
  await registry.close();
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  return p50s;
}

/** The same frame through a bare `ws` server: the floor. */
async function rawP50s(): Promise<number[]> {
  const rawServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => rawServer.once('listening', resolve));
  const connected = new Promise<WebSocket>((resolve) => rawServer.once('connection', resolve));
  const rawClient = new WebSocket(`ws://127.0.0.1:${(rawServer.address() as AddressInfo).port}`);
  const serverSide = await connected;
  await new Promise((resolve) => rawClient.once('open', resolve));
  const frame = JSON.stringify({
    type: 'run.event',
    runId: 'run_bench',
    event: { id: '000000000001', runId: 'run_bench', time: new Date().toISOString(), event: { type: 'text.delta', text: 'token 0 ' } },
  });
  const p50s = await repeat(repetitions, async () => {
    const latencies: number[] = [];
    for (let i = 0; i < eventsPerRepetition; i++) {
      const received = nextMessage(rawClient);
      const started = performance.now();
      serverSide.send(frame);
      await received;
      latencies.push(performance.now() - started);
    }
    return percentile(latencies, 50);
  });
  rawClient.close();
  await new Promise((resolve) => rawServer.close(resolve));
  return p50s;
}

/**
 * Run event latency: an append to the run event log (what the internal API does for a worker)
 * until a WebSocket client holds the `run.event` frame, through the change feed and the
 * subscription hub, with the in-process pusher (the local default) and with the real SDK client
 * through the local gateway's management API. Baseline: a raw `ws` send of the same frame.
 */
export const runStreamBench: Bench = {
  name: 'run_stream',
  async run(figures) {
    const raw = await rawP50s();
    const inProcess = await pipelineP50s((gateway) => new InProcessConnectionPusher(gateway));
    const sdk = await pipelineP50s(
      (gateway, accessKeyId) =>
        new ApiGatewayConnectionPusher({
          endpoint: gateway.managementEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId, secretAccessKey: 'bench' },
        }),
    );
    figures.record({ name: 'run_stream.raw_ws_p50_ms', unit: 'ms', description: 'raw ws send → client, same frame', samples: raw });
    figures.record({
      name: 'run_stream.p50_ms',
      unit: 'ms',
      description: 'run event append → change feed → hub → in-process pusher → client',
      samples: inProcess,
      baseline: 'run_stream.raw_ws_p50_ms',
    });
    figures.record({
      name: 'run_stream.sdk_path_p50_ms',
      unit: 'ms',
      description: 'the same through the SDK PostToConnection client and the local management API',
      samples: sdk,
      baseline: 'run_stream.raw_ws_p50_ms',
    });
  },
};
