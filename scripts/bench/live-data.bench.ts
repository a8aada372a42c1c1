import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { DataScopeKey, ServerMessage } from '@hangar/protocol';
import { ApiGatewayConnectionPusher } from '../../functions/src/adapters/apigateway-connection-pusher';
import { startLocalWebSocketGateway } from '../../functions/src/adapters/local-websocket-gateway';
import { createMemoryConnectionRegistry } from '../../functions/src/adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import { DataService, physicalCollectionName } from '../../functions/src/domain/data-service';
import { builderCollections } from '../../functions/src/domain/records';
import { createServices } from '../../functions/src/domain/services';
import { systemClock } from '../../functions/src/ports/clock';
import { sortableIdGenerator } from '../../functions/src/ports/id-generator';
import { DataRelay } from '../../functions/src/realtime/data-relay';
import { format, percentile, perSecond, printTable, sample } from './measure';

const subscribers = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `count` writes at `rate` per second; resolves with per-delivery latencies (write → every client). */
async function steadyWrites(
  rate: number,
  count: number,
  write: (index: number) => Promise<void>,
  delivered: () => number[],
  expected: number,
): Promise<number[]> {
  const before = delivered().length;
  const interval = 1000 / rate;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await write(i);
  }
  for (let attempt = 0; attempt < 400 && delivered().length - before < expected; attempt++) await sleep(25);
  return delivered().slice(before);
}

/**
 * Live data delivery: 100 WebSocket clients subscribed to one collection; writes go through the
 * data service; the relay reads the change feed once and pushes through the real management API
 * client and the local gateway. Baseline: a raw `ws` broadcast of the same frames to 100 clients.
 */
export async function benchLiveData(): Promise<void> {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const services = await createServices({ store, ids: sortableIdGenerator, clock: systemClock });
  const data = new DataService(store, services.access, services.audit, sortableIdGenerator, systemClock);
  const owner = {
    identity: { id: 'usr_bench', email: 'bench@example.com', name: 'Bench', provider: 'local' as const },
    source: 'api' as const,
  };
  const workspace = await services.workspaces.create(owner, 'Bench');
  const now = new Date().toISOString();
  await store.collection(builderCollections.apps).insertOne({
    _id: 'app_bench',
    workspaceId: workspace.id,
    name: 'Bench',
    createdBy: owner.identity.id,
    createdAt: now,
    updatedAt: now,
    latestVersionId: null,
    latestRunId: null,
    latestRunStatus: null,
  });
  const key: DataScopeKey = { workspaceId: workspace.id, appId: 'app_bench', scope: 'draft', collection: 'events' };

  const server = createServer();
  const accessKeyId = `BENCH${randomBytes(4).toString('hex')}`;
  const registry = createMemoryConnectionRegistry();
  let relay: DataRelay | null = null;
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId },
    handlers: {
      connect: () => Promise.resolve({ statusCode: 200 }),
      disconnect: () => Promise.resolve({ statusCode: 200 }),
      message: async (event) => {
        await relay?.subscribe(event.requestContext.connectionId, owner.identity.id, key);
        return { statusCode: 200 };
      },
    },
  });
  const pusher = new ApiGatewayConnectionPusher({
    endpoint: gateway.managementEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'bench' },
  });
  relay = new DataRelay({ store, registry, pusher, scopeOf: (name) => data.scopeOf(name) });
  relay.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const clients: WebSocket[] = [];
  for (let i = 0; i < subscribers; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => client.once('open', resolve));
    client.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString('utf8')) as ServerMessage;
      const changes = message.type === 'data.changed' ? [message.change] : message.type === 'data.changes' ? message.changes : [];
      const receivedAt = performance.now();
      for (const change of changes) {
        const at = sentAt.get(change.documentId);
        if (at !== undefined) latencies.push(receivedAt - at);
      }
    });
    client.send('{"subscribe":true}');
    clients.push(client);
  }
  while ((await registry.connectionsFor(`app_bench:draft:events`)).length < subscribers) await sleep(20);

  const write = async (index: number) => {
    const id = `e${Date.now().toString(36)}${index}`;
    sentAt.set(id, performance.now());
    await data.insert(owner, key, { _id: id, index, at: new Date().toISOString() });
  };
  // Warm-up (connection pools, JIT) before anything is measured.
  await steadyWrites(20, 40, write, () => latencies, 40 * subscribers);
  const steadyRate = 20;
  const steady = await steadyWrites(steadyRate, 100, write, () => latencies, 100 * subscribers);

  const rates = [20, 35, 50, 75, 100, 200];
  const sustained: [number, number, number][] = [];
  for (const rate of rates) {
    const result = await steadyWrites(rate, Math.min(rate * 2, 400), write, () => latencies, Math.min(rate * 2, 400) * subscribers);
    sustained.push([rate, percentile(result, 99), result.length]);
    if (percentile(result, 99) > 100) break;
  }
  for (const client of clients) client.close();
  await relay.stop();
  await gateway.close();
  await new Promise((resolve) => server.close(resolve));

  // Baseline: a raw WebSocket broadcast of the same frame to the same number of clients.
  const raw = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => raw.once('listening', resolve));
  const rawLatencies: number[] = [];
  const rawClients: WebSocket[] = [];
  const frameTimes = new Map<number, number>();
  for (let i = 0; i < subscribers; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${(raw.address() as AddressInfo).port}`);
    await new Promise((resolve) => client.once('open', resolve));
    client.on('message', (data: Buffer) => {
      const index = (JSON.parse(data.toString('utf8')) as { change: { seq: number } }).change.seq;
      rawLatencies.push(performance.now() - (frameTimes.get(index) ?? 0));
    });
    rawClients.push(client);
  }
  const rawSteady = await steadyWrites(
    steadyRate,
    100,
    (index) => {
      frameTimes.set(index + 1, performance.now());
      const frame = JSON.stringify({
        type: 'data.changed',
        appId: 'app_bench',
        scope: 'draft',
        collection: 'events',
        change: { operation: 'insert', documentId: `e${index}`, document: { _id: `e${index}`, index }, epoch: 'raw', seq: index + 1 },
      });
      for (const socket of raw.clients) socket.send(frame);
      return Promise.resolve();
    },
    () => rawLatencies,
    100 * subscribers,
  );
  for (const client of rawClients) client.close();
  await new Promise((resolve) => raw.close(resolve));

  // List queries on 100k documents, index-backed, through the data service (authorization included).
  const listKey: DataScopeKey = { ...key, collection: 'orders' };
  await data.insert(owner, listKey, { status: 'seed' });
  const physical = store.collection(await physicalCollectionName(listKey));
  for (let i = 0; i < 100_000; i++)
    await physical.insertOne({
      _id: `o${String(i).padStart(6, '0')}`,
      status: `s${i % 1000}`,
      total: i % 997,
      _createdAt: now,
      _updatedAt: now,
    });
  const unindexed = await sample(10, (i) => data.list(owner, listKey, { filter: { status: `s${(i * 37) % 1000}` }, limit: 50 }));
  await physical.createIndex({ keys: { status: 1 } });
  const indexed = await sample(300, (i) => data.list(owner, listKey, { filter: { status: `s${(i * 37) % 1000}` }, limit: 50 }));
  await store.close();

  const highest = sustained.filter(([, p99]) => p99 <= 100).at(-1);
  printTable(`Live data: ${subscribers} WebSocket subscribers on one collection`, [
    [
      `write → delivery at ${steadyRate} writes/s (${steady.length} deliveries)`,
      `p50 ${format(percentile(steady, 50), 1)} ms, p99 ${format(percentile(steady, 99), 1)} ms`,
    ],
    [
      '  baseline: raw ws broadcast, same frames and rate',
      `p50 ${format(percentile(rawSteady, 50), 2)} ms, p99 ${format(percentile(rawSteady, 99), 2)} ms`,
    ],
    [
      '  overhead ratio (p50 / p99)',
      `${format(percentile(steady, 50) / percentile(rawSteady, 50), 1)}× / ${format(percentile(steady, 99) / percentile(rawSteady, 99), 1)}×`,
    ],
    ...sustained.map(([rate, p99, count]): [string, string] => [
      `  ${rate} writes/s = ${rate * subscribers} deliveries/s`,
      `p99 ${format(p99, 1)} ms (${count} delivered)`,
    ]),
    [
      'highest sustained rate with p99 ≤ 100 ms',
      highest ? `${highest[0]} writes/s (${highest[0] * subscribers} deliveries/s)` : `below ${rates[0]} writes/s`,
    ],
    [
      'list query, 100k documents, index-backed filter, limit 50',
      `${format(perSecond(indexed), 0)} queries/s (p50 ${format(percentile(indexed, 50), 2)} ms)`,
    ],
    [
      '  baseline: same query before the index existed',
      `${format(perSecond(unindexed), 1)} queries/s (p50 ${format(percentile(unindexed, 50), 1)} ms)`,
    ],
    ['  ratio indexed / unindexed', `${format(perSecond(indexed) / perSecond(unindexed), 0)}×`],
  ]);
}
