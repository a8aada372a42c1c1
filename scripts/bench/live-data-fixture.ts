import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { DataScopeKey, ServerMessage } from '@hangar/protocol';
import { InProcessConnectionPusher } from '../../functions/src/adapters/in-process-connection-pusher';
import { startLocalWebSocketGateway, type LocalWebSocketGateway } from '../../functions/src/adapters/local-websocket-gateway';
import { createMemoryConnectionRegistry } from '../../functions/src/adapters/memory-connection-registry';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import { DataService } from '../../functions/src/domain/data-service';
import { builderCollections } from '../../functions/src/domain/records';
import { createServices } from '../../functions/src/domain/services';
import { systemClock } from '../../functions/src/ports/clock';
import type { DocumentStore } from '../../functions/src/ports/document-store';
import { sortableIdGenerator } from '../../functions/src/ports/id-generator';
import { DataRelay } from '../../functions/src/realtime/data-relay';

/** Counts changes as clients receive them and wakes whoever waits for a total. */
export class DeliveryCounter {
  total = 0;
  private waiter: { target: number; resolve: () => void } | null = null;

  add(count: number): void {
    this.total += count;
    if (this.waiter && this.total >= this.waiter.target) {
      this.waiter.resolve();
      this.waiter = null;
    }
  }

  /** Resolves true once `target` changes have arrived in total, false after `timeoutMs`. */
  until(target: number, timeoutMs: number): Promise<boolean> {
    if (this.total >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(false);
      }, timeoutMs);
      this.waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
  }
}

export interface LiveDataFixture {
  store: DocumentStore;
  data: DataService;
  owner: Parameters<DataService['insert']>[0];
  key: DataScopeKey;
  gateway: LocalWebSocketGateway;
  accessKeyId: string;
  clients: WebSocket[];
  connectionIds: string[];
  /** Per-delivery latency (write → client), in arrival order. */
  latencies: number[];
  sentAt: Map<string, number>;
  received: DeliveryCounter;
  close(): Promise<void>;
}

/**
 * The real write path of live data, built from its parts as the local host builds it: the
 * SQLite store, the data service (authorization and audit included), one relay reading the
 * change feed, the local gateway and — as the local default — the in-process pusher; plus
 * `subscribers` WebSocket clients subscribed to one collection.
 */
export async function startLiveDataFixture(subscribers: number): Promise<LiveDataFixture> {
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
  const connectionIds: string[] = [];
  const gateway = await startLocalWebSocketGateway({
    server,
    credentials: { accessKeyId },
    log: () => undefined,
    handlers: {
      connect: (event) => {
        connectionIds.push(event.requestContext.connectionId);
        return Promise.resolve({ statusCode: 200 });
      },
      disconnect: () => Promise.resolve({ statusCode: 200 }),
      message: async (event) => {
        await relay?.subscribe(event.requestContext.connectionId, owner.identity.id, key);
        return { statusCode: 200 };
      },
    },
  });
  const liveRelay = new DataRelay({
    store,
    registry,
    pusher: new InProcessConnectionPusher(gateway),
    scopeOf: (name) => data.scopeOf(name),
  });
  relay = liveRelay;
  liveRelay.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const received = new DeliveryCounter();
  const clients: WebSocket[] = [];
  for (let i = 0; i < subscribers; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => client.once('open', resolve));
    client.on('message', (raw: Buffer) => {
      const receivedAt = performance.now();
      const message = JSON.parse(raw.toString('utf8')) as ServerMessage;
      const changes = message.type === 'data.changed' ? [message.change] : message.type === 'data.changes' ? message.changes : [];
      for (const change of changes) {
        const at = sentAt.get(change.documentId);
        if (at !== undefined) latencies.push(receivedAt - at);
      }
      received.add(changes.length);
    });
    client.send('{"subscribe":true}');
    clients.push(client);
  }
  const subscriptionKey = `${key.appId}:${key.scope}:${key.collection}`;
  while ((await registry.connectionsFor(subscriptionKey)).length < subscribers) await new Promise((resolve) => setTimeout(resolve, 20));

  return {
    store,
    data,
    owner,
    key,
    gateway,
    accessKeyId,
    clients,
    connectionIds,
    latencies,
    sentAt,
    received,
    async close() {
      for (const client of clients) client.close();
      await liveRelay.stop();
      await gateway.close();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}
