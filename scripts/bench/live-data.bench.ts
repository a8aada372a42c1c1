import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { DataScopeKey } from '@hangar/protocol';
import { ApiGatewayConnectionPusher } from '../../functions/src/adapters/apigateway-connection-pusher';
import { physicalCollectionName } from '../../functions/src/domain/data-service';
import { fanOut } from '../../functions/src/realtime/bounded-fan-out';
import type { Bench } from './bench-report';
import { DeliveryCounter, startLiveDataFixture, type LiveDataFixture } from './live-data-fixture';
import { format, median, percentile, perSecond, printTable, repeat, sample, sleep } from './measure';

const subscribers = 100;
const steadyRate = 20;
const steadyWritesPerRepetition = 50;
/** Write rates tried for the knee, in writes per second (× subscribers = deliveries per second). */
const kneeRates = [20, 35, 50, 100, 200, 300, 400, 600, 800, 1200];
const sdkConcurrencies = [1, 4, 16, 64];
const sdkBatchesPerMeasurement = 10;

/**
 * Issues `count` writes on a schedule of `rate` per second without waiting for earlier ones
 * (open loop, as independent people write), then waits for them all; answers how long issuing
 * took, which exceeds the schedule only when the process itself could not keep up.
 */
async function scheduledWrites(rate: number, count: number, write: (index: number) => Promise<void>): Promise<number> {
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(write(i));
  }
  const issueMs = performance.now() - started;
  await Promise.all(inFlight);
  return Math.max(issueMs, (count - 1) * interval);
}

/** One phase of writes at `rate`: the latencies of its deliveries, and whether every delivery arrived. */
async function phase(fixture: LiveDataFixture, rate: number, count: number, write: (index: number) => Promise<void>) {
  const before = fixture.latencies.length;
  const target = fixture.received.total + count * subscribers;
  const issueMs = await scheduledWrites(rate, count, write);
  const complete = await fixture.received.until(target, 10_000);
  return { latencies: fixture.latencies.slice(before), complete, achievedRate: count / (issueMs / 1000) };
}

/** The highest write rate whose phase delivered everything with p99 ≤ 100 ms, in deliveries per second. */
async function knee(fixture: LiveDataFixture, write: (index: number) => Promise<void>, rows: [string, string][]): Promise<number> {
  let best = 0;
  for (const rate of kneeRates) {
    const count = Math.min(Math.round(rate * 1.5), 1200);
    const result = await phase(fixture, rate, count, write);
    const p99 = percentile(result.latencies, 99);
    // A writer that could not keep the schedule did not test this rate.
    const held = result.complete && p99 <= 100 && result.achievedRate >= rate * 0.9;
    rows.push([
      `  ${rate} writes/s = ${format(rate * subscribers, 0)} deliveries/s`,
      `p99 ${format(p99, 1)} ms, ${result.complete ? 'all delivered' : 'INCOMPLETE'}, writer reached ${format(result.achievedRate, 0)}/s${held ? '' : ' — knee'}`,
    ]);
    if (!held) break;
    best = rate * subscribers;
  }
  return best;
}

/**
 * Raw `ws` broadcast of the same frames to the same number of clients: the floor. Each frame is
 * what the relay sends for one bench write (the same document fields, including the ones the
 * data service adds, and an epoch as long as a relay's), serialized once per broadcast.
 */
async function rawBroadcast(): Promise<{ p50: number[]; p99: number[] }> {
  const raw = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => raw.once('listening', resolve));
  const latencies: number[] = [];
  const received = new DeliveryCounter();
  const clients: WebSocket[] = [];
  const frameTimes = new Map<number, number>();
  for (let i = 0; i < subscribers; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${(raw.address() as AddressInfo).port}`);
    await new Promise((resolve) => client.once('open', resolve));
    client.on('message', (data: Buffer) => {
      const receivedAt = performance.now();
      const seq = (JSON.parse(data.toString('utf8')) as { change: { seq: number } }).change.seq;
      latencies.push(receivedAt - (frameTimes.get(seq) ?? receivedAt));
      received.add(1);
    });
    clients.push(client);
  }
  let seq = 0;
  /** As long as a relay's epoch (base-36 time and six random characters). */
  const rawEpoch = `${Date.now().toString(36)}rawbnc`;
  const broadcast = () => {
    seq += 1;
    frameTimes.set(seq, performance.now());
    const id = `e${seq.toString(36).padStart(6, '0')}`;
    const at = new Date().toISOString();
    const document = { _id: id, index: seq, at, _createdAt: at, _updatedAt: at, _createdBy: 'usr_bench' };
    const frame = JSON.stringify({
      type: 'data.changed',
      appId: 'app_bench',
      scope: 'draft',
      collection: 'events',
      change: { operation: 'insert', documentId: id, document, epoch: rawEpoch, seq },
    });
    for (const socket of raw.clients) socket.send(frame);
    return Promise.resolve();
  };
  const results = await repeat({ warmups: 1, repetitions: 5 }, async () => {
    const before = latencies.length;
    const target = received.total + steadyWritesPerRepetition * subscribers;
    await scheduledWrites(steadyRate, steadyWritesPerRepetition, broadcast);
    await received.until(target, 10_000);
    const phaseLatencies = latencies.slice(before);
    return { p50: percentile(phaseLatencies, 50), p99: percentile(phaseLatencies, 99) };
  });
  for (const client of clients) client.close();
  await new Promise((resolve) => raw.close(resolve));
  return { p50: results.map((each) => each.p50), p99: results.map((each) => each.p99) };
}

/**
 * The AWS relay's path: one change per subscriber per batch, pushed with `fanOut` through the
 * real SDK client to the local gateway's management API (one signed HTTP PostToConnection per
 * delivery), at several concurrencies. Deliveries count when the clients hold them.
 */
async function sdkFanOut(fixture: LiveDataFixture): Promise<Map<number, number[]>> {
  const results = new Map<number, number[]>();
  let seq = 1_000_000;
  for (const concurrency of sdkConcurrencies) {
    const client = new ApiGatewayManagementApiClient({
      endpoint: fixture.gateway.managementEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: fixture.accessKeyId, secretAccessKey: 'bench' },
      // One socket per concurrent push, as a relay Lambda would configure its client.
      requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
    });
    const pusher = new ApiGatewayConnectionPusher({ client });
    const rates = await repeat({ warmups: 1, repetitions: 3 }, async () => {
      const target = fixture.received.total + sdkBatchesPerMeasurement * subscribers;
      const started = performance.now();
      for (let batch = 0; batch < sdkBatchesPerMeasurement; batch++) {
        seq += 1;
        const message = {
          type: 'data.changed',
          appId: fixture.key.appId,
          scope: fixture.key.scope,
          collection: fixture.key.collection,
          change: { operation: 'insert', documentId: `sdk${seq}`, document: { _id: `sdk${seq}` }, epoch: 'sdk', seq },
        };
        const result = await fanOut(
          pusher,
          fixture.connectionIds.map((connectionId) => ({ connectionId, message })),
          { concurrency },
        );
        if (result.gone.length > 0 || result.closed.length > 0) throw new Error(`fan-out lost connections: ${JSON.stringify(result)}`);
      }
      if (!(await fixture.received.until(target, 30_000))) throw new Error('SDK fan-out deliveries did not all arrive');
      return (sdkBatchesPerMeasurement * subscribers) / ((performance.now() - started) / 1000);
    });
    results.set(concurrency, rates);
    client.destroy();
  }
  return results;
}

/**
 * Live data delivery to 100 WebSocket clients subscribed to one collection, with the in-process
 * pusher (the local default): latency at a steady rate against a raw `ws` broadcast, the knee,
 * the SDK fan-out path of the AWS relay by concurrency, and list queries on 100k documents.
 */
export const liveDataBench: Bench = {
  name: 'live_data',
  async run(figures) {
    const raw = await rawBroadcast();
    const fixture = await startLiveDataFixture(subscribers);
    let written = 0;
    const write = async () => {
      written += 1;
      const id = `e${written.toString(36).padStart(6, '0')}`;
      fixture.sentAt.set(id, performance.now());
      await fixture.data.insert(fixture.owner, fixture.key, { _id: id, index: written, at: new Date().toISOString() });
    };
    const steady = await repeat({ warmups: 1, repetitions: 5 }, async () => {
      const result = await phase(fixture, steadyRate, steadyWritesPerRepetition, write);
      if (!result.complete) throw new Error('steady phase lost deliveries');
      return { p50: percentile(result.latencies, 50), p99: percentile(result.latencies, 99) };
    });
    const kneeRows: [string, string][] = [];
    const knees = await repeat({ warmups: 0, repetitions: 3 }, async (repetition) => {
      kneeRows.push([`knee sweep ${repetition + 1}`, '']);
      const found = await knee(fixture, write, kneeRows);
      await sleep(500);
      return found;
    });
    const sdk = await sdkFanOut(fixture);

    // List queries on 100k documents, index-backed, through the data service (authorization included).
    const listKey: DataScopeKey = { ...fixture.key, collection: 'orders' };
    await fixture.data.insert(fixture.owner, listKey, { status: 'seed' });
    const physical = fixture.store.collection(await physicalCollectionName(listKey));
    const now = new Date().toISOString();
    for (let start = 0; start < 100_000; start += 1000) {
      await physical.insertMany(
        Array.from({ length: 1000 }, (_, k) => ({
          _id: `o${String(start + k).padStart(6, '0')}`,
          status: `s${(start + k) % 1000}`,
          total: (start + k) % 997,
          _createdAt: now,
          _updatedAt: now,
        })),
      );
    }
    const list = (i: number) => fixture.data.list(fixture.owner, listKey, { filter: { status: `s${(i * 37) % 1000}` }, limit: 50 });
    const unindexed = await repeat({ warmups: 1, repetitions: 3 }, async () => perSecond(await sample(3, list)));
    await physical.createIndex({ keys: { status: 1 } });
    const indexed = await repeat({ warmups: 1, repetitions: 5 }, async () => perSecond(await sample(100, list)));
    await fixture.close();

    figures.record({
      name: 'live_data.raw_ws_p50_ms',
      unit: 'ms',
      description: `raw ws broadcast to ${subscribers} clients at ${steadyRate} frames/s, p50 per repetition`,
      samples: raw.p50,
    });
    figures.record({ name: 'live_data.raw_ws_p99_ms', unit: 'ms', description: 'the same, p99', samples: raw.p99 });
    figures.record({
      name: 'live_data.p50_ms',
      unit: 'ms',
      description: `data service insert → change feed → relay → in-process pusher → ${subscribers} clients at ${steadyRate} writes/s, p50`,
      samples: steady.map((each) => each.p50),
      baseline: 'live_data.raw_ws_p50_ms',
    });
    figures.record({
      name: 'live_data.p99_ms',
      unit: 'ms',
      description: 'the same, p99',
      samples: steady.map((each) => each.p99),
      baseline: 'live_data.raw_ws_p99_ms',
      target: { at_most: 50 },
    });
    figures.record({
      name: 'live_data.p50_ratio_vs_raw_ws',
      unit: 'ratio',
      description: 'live data p50 ÷ raw ws p50, measured in the same run',
      samples: steady.map((each, index) => each.p50 / (raw.p50[index] ?? Number.NaN)),
      baseline: 'live_data.raw_ws_p50_ms',
      target: { at_most: 2 },
    });
    figures.record({
      name: 'live_data.knee_deliveries_per_s',
      unit: 'deliveries/s',
      description: `highest tried rate (writes/s × ${subscribers}) with every delivery and p99 ≤ 100 ms`,
      samples: knees,
      target: { at_least: 20_000 },
    });
    for (const [concurrency, rates] of sdk) {
      figures.record({
        name: `live_data.sdk_path_deliveries_per_s.concurrency_${concurrency}`,
        unit: 'deliveries/s',
        description: `fanOut through the SDK PostToConnection client → local gateway, ${concurrency} in flight, one HTTP request per delivery`,
        samples: rates,
      });
    }
    const best = [...sdk].sort((a, b) => median(b[1]) - median(a[1]))[0];
    figures.record({
      name: 'live_data.sdk_path_deliveries_per_s',
      unit: 'deliveries/s',
      description: `the best of those concurrencies (${best?.[0] ?? '?'} in flight)`,
      samples: best?.[1] ?? [],
    });
    figures.record({
      name: 'live_data.list_unindexed_queries_per_s',
      unit: 'queries/s',
      description: 'data service list on 100k documents, equality filter, limit 50, before an index existed',
      samples: unindexed,
    });
    figures.record({
      name: 'live_data.list_indexed_queries_per_s',
      unit: 'queries/s',
      description: 'the same list once an index backs the filter',
      samples: indexed,
      baseline: 'live_data.list_unindexed_queries_per_s',
    });
    printTable(`Live data: ${subscribers} subscribers, knee sweeps (in-process pusher)`, kneeRows);
  },
};
