import { testOrigin } from './testing';
import { createPushDelivery } from '../realtime/push-delivery';
import { RunStreams } from '../realtime/run-streams';
import { originAllowList } from './request-policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRules, AppDocument, DataPage, Review, ServerMessage } from '@hangar/protocol';
import { createMemoryConnectionRegistry } from '../adapters/memory-connection-registry';
import { DataService, physicalCollectionName } from '../domain/data-service';
import { collections } from '../domain/records';
import { sortableIdGenerator } from '../ports/id-generator';
import { systemClock } from '../ports/clock';
import type { ConnectionPusher } from '../ports/connection-pusher';
import { DataRelay, subscriptionKey } from '../realtime/data-relay';
import { createAtlasRelay } from '../realtime/atlas-relay';
import { createDocumentDbRelay, type DocumentDbChangeEvent } from '../realtime/documentdb-relay';
import { createSessionHandlers } from '../realtime/session-handlers';
import { WorkspaceChannel } from '../realtime/workspace-channel';
import type { WebSocketEvent } from '../realtime/websocket-event';
import { governanceWorld, publishVersion, type GovernanceCaller, type GovernanceWorld } from './governance-testing';

const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

const rules: AccessRules = {
  version: 1,
  collections: {
    announcements: { read: 'viewers', write: 'admins' },
    leads: { read: 'members', write: 'members' },
    notes: { read: 'collaborators', write: 'collaborators' },
    requests: { read: 'viewers', write: 'viewers', own: true },
  },
};

/** A pusher that records what each connection received and wakes waiters. */
class RecordingPusher implements ConnectionPusher {
  readonly sent = new Map<string, ServerMessage[]>();
  private waiters: (() => void)[] = [];
  post(connectionId: string, data: unknown) {
    this.sent.set(connectionId, [...(this.sent.get(connectionId) ?? []), data as ServerMessage]);
    for (const wake of this.waiters.splice(0)) wake();
    return Promise.resolve('sent' as const);
  }
  disconnect() {
    return Promise.resolve();
  }
  async until(predicate: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 200 && !predicate(); attempt++) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

describe('per-collection access rules, approved at publish', () => {
  let world: GovernanceWorld;
  const base = (collection: string) => `${world.a}/data/published/${collection}`;

  beforeEach(async () => {
    world = await governanceWorld();
    const { creator } = world.clients;
    await creator.request('PUT', `${world.a}/collaborators`, { userIds: [world.clients.collaborator.me.identity.id] });
    const version = await world.buildVersion({ 'dist/index.html': '<p>app</p>' }, rules);
    await publishVersion(world, version._id);
  });
  afterEach(async () => world.close());

  const expected: Record<string, { read: Record<GovernanceCaller, number>; write: Record<GovernanceCaller, number> }> = {
    announcements: {
      read: { owner: 200, admin: 200, creator: 200, collaborator: 200, member: 200, viewer: 200, foreign: 404 },
      write: { owner: 201, admin: 201, creator: 403, collaborator: 403, member: 403, viewer: 403, foreign: 404 },
    },
    leads: {
      read: { owner: 200, admin: 200, creator: 200, collaborator: 200, member: 200, viewer: 403, foreign: 404 },
      write: { owner: 201, admin: 201, creator: 201, collaborator: 201, member: 201, viewer: 403, foreign: 404 },
    },
    notes: {
      read: { owner: 200, admin: 200, creator: 200, collaborator: 200, member: 403, viewer: 403, foreign: 404 },
      write: { owner: 201, admin: 201, creator: 201, collaborator: 201, member: 403, viewer: 403, foreign: 404 },
    },
    // Not declared: admins only, once published.
    secrets: {
      read: { owner: 200, admin: 200, creator: 403, collaborator: 403, member: 403, viewer: 403, foreign: 404 },
      write: { owner: 201, admin: 201, creator: 403, collaborator: 403, member: 403, viewer: 403, foreign: 404 },
    },
  };
  for (const [collection, expectation] of Object.entries(expected)) {
    it(`REST enforces the rule of ${collection}`, async () => {
      for (const caller of Object.keys(expectation.read) as GovernanceCaller[]) {
        const client = world.clients[caller];
        const wrote = await client.request('POST', base(collection), { title: `by ${caller}` });
        expect([caller, wrote.status]).toEqual([caller, expectation.write[caller]]);
        expect([caller, (await client.request('GET', base(collection))).status]).toEqual([caller, expectation.read[caller]]);
      }
    });
  }

  it('the published frame tells the app what each person may write, by the same rules (hidden write controls)', async () => {
    const writable = async (caller: GovernanceCaller) =>
      (await json<{ writable: unknown }>(world.clients[caller].request('GET', `${world.w}/published-apps/${world.app.id}/frame`))).writable;
    expect(await writable('admin')).toEqual({ all: true, collections: [] });
    expect(await writable('collaborator')).toEqual({ all: false, collections: ['leads', 'notes', 'requests'] });
    expect(await writable('member')).toEqual({ all: false, collections: ['leads', 'requests'] });
    expect(await writable('viewer')).toEqual({ all: false, collections: ['requests'] });
  });

  it('the review carries the rules, and publishing installs exactly the approved ones', async () => {
    const reviews = await json<{ items: Review[] }>(world.clients.admin.request('GET', `${world.w}/reviews?state=approved`));
    expect(reviews.items[0]?.rules).toEqual(rules);
    // A new draft that opens everything does not change the published rules until it is published.
    await world.buildVersion({ 'dist/index.html': 'v2' }, { version: 1, collections: { secrets: { read: 'viewers', write: 'viewers' } } });
    expect((await world.clients.viewer.request('GET', base('secrets'))).status).toBe(403);
  });

  it('own: each person reads and changes only what they created; admins see all; the explorer agrees', async () => {
    const { member, viewer, admin, creator } = world.clients;
    const mine = await json<AppDocument>(member.request('POST', base('requests'), { title: 'laptop' }));
    const theirs = await json<AppDocument>(viewer.request('POST', base('requests'), { title: 'monitor' }));
    expect(mine._createdBy).toBe(member.me.identity.id);
    expect((await json<DataPage>(member.request('GET', base('requests')))).items.map((doc) => doc.title)).toEqual(['laptop']);
    expect((await json<DataPage>(viewer.request('GET', base('requests')))).items.map((doc) => doc.title)).toEqual(['monitor']);
    expect((await json<DataPage>(admin.request('GET', base('requests')))).items).toHaveLength(2);
    expect((await member.request('GET', `${base('requests')}/${theirs._id}`)).status).toBe(404);
    expect((await member.request('PATCH', `${base('requests')}/${theirs._id}`, { title: 'mine now' })).status).toBe(404);
    expect((await member.request('DELETE', `${base('requests')}/${theirs._id}`)).status).toBe(404);
    expect((await member.request('PATCH', `${base('requests')}/${mine._id}`, { _createdBy: viewer.me.identity.id })).status).toBe(400);
    expect((await member.request('POST', base('requests'), { title: 'x', _createdBy: viewer.me.identity.id })).status).toBe(400);
    expect((await member.request('PATCH', `${base('requests')}/${mine._id}`, { title: 'laptop 2' })).status).toBe(200);
    // The explorer's collection list shows what each person may read, with their own counts.
    await admin.request('POST', base('secrets'), { x: 1 });
    const listed = await json<{ items: { name: string; count: number }[] }>(member.request('GET', `${world.a}/data/published`));
    expect(listed.items).toEqual([{ name: 'requests', count: 1 }]);
    const adminList = await json<{ items: { name: string; count: number }[] }>(admin.request('GET', `${world.a}/data/published`));
    expect(adminList.items).toEqual([
      { name: 'requests', count: 2 },
      { name: 'secrets', count: 1 },
    ]);
    expect((await creator.request('GET', `${world.a}/data/published`)).status).toBe(200);
  });

  it('WebSocket: subscribe follows the rules, and live changes of an own collection reach only their creator and admins', async () => {
    const { test } = world;
    const data = new DataService(test.store, test.services.access, test.services.audit, sortableIdGenerator, systemClock);
    const pusher = new RecordingPusher();
    const registry = createMemoryConnectionRegistry();
    const relay = new DataRelay({
      store: test.store,
      registry,
      pusher,
      scopeOf: (name) => data.scopeOf(name),
      changeFilter: (key) => data.changeFilter(key),
      epoch: 'e1',
    });
    relay.start();
    const deliver = createPushDelivery(pusher);
    const handlers = createSessionHandlers({
      authenticator: { mode: 'none', authenticate: () => Promise.resolve(null) },
      pusher,
      deliver,
      store: test.store,
      clock: systemClock,
      runs: { streams: new RunStreams({ events: test.events, registry, deliver }), canRead: () => Promise.resolve(false) },
      data: { relay, service: data },
      workspace: { channel: new WorkspaceChannel({
        registry,
        deliver,
        membershipOf: () => Promise.resolve(null),
        appOf: () => Promise.resolve(null),
        mayReceive: () => Promise.resolve(false),
        connectionsOf: () => Promise.resolve([]),
      }), mayFollow: () => Promise.resolve(false) },
      allowedOrigins: originAllowList([testOrigin]),
      allowedHosts: null,
    });
    const connect = async (caller: GovernanceCaller) => {
      const { identity } = world.clients[caller].me;
      await test.store.collection(collections.connections).insertOne({
        _id: `conn-${caller}`,
        userId: identity.id,
        email: identity.email,
        via: 'cookie',
        connectedAt: new Date().toISOString(),
      });
    };
    const subscribe = async (caller: GovernanceCaller, collection: string) => {
      const event = {
        requestContext: { routeKey: '$default', eventType: 'MESSAGE', connectionId: `conn-${caller}` },
        body: JSON.stringify({
          type: 'data.subscribe',
          workspaceId: world.workspace.id,
          appId: world.app.id,
          scope: 'published',
          collection,
        }),
        isBase64Encoded: false,
      } as unknown as WebSocketEvent;
      return (await handlers.message(event)).statusCode;
    };
    for (const caller of ['member', 'viewer', 'admin'] as const) await connect(caller);
    expect(await subscribe('viewer', 'leads')).toBe(403);
    expect(await subscribe('member', 'notes')).toBe(403);
    expect(await subscribe('member', 'secrets')).toBe(403);
    expect(await subscribe('member', 'leads')).toBe(200);
    for (const caller of ['member', 'viewer', 'admin'] as const) expect(await subscribe(caller, 'requests')).toBe(200);

    const changesOf = (caller: string) =>
      (pusher.sent.get(`conn-${caller}`) ?? []).flatMap((message) =>
        message.type === 'data.changed' && message.collection === 'requests'
          ? [message.change]
          : message.type === 'data.changes' && message.collection === 'requests'
            ? message.changes
            : [],
      );
    await world.clients.member.request('POST', base('requests'), { title: 'from member' });
    await world.clients.viewer.request('POST', base('requests'), { title: 'from viewer' });
    // The sentinel: the admin, who sees everything, has received both.
    await pusher.until(() => changesOf('admin').length >= 2);
    expect(changesOf('admin').map((change) => change.document?.title)).toEqual(['from member', 'from viewer']);
    expect(changesOf('member').map((change) => change.document?.title)).toEqual(['from member']);
    expect(changesOf('viewer').map((change) => change.document?.title)).toEqual(['from viewer']);
    await relay.stop();
  });

  it('DocumentDB and Atlas relays (AWS): changes of an own collection reach only their creator and admins, like the local relay', async () => {
    const { test } = world;
    const data = new DataService(test.store, test.services.access, test.services.audit, sortableIdGenerator, systemClock);
    const pusher = new RecordingPusher();
    const registry = createMemoryConnectionRegistry();
    const relay = createDocumentDbRelay({
      store: test.store,
      registry,
      pusher,
      scopeOf: (name) => data.scopeOf(name),
      changeFilter: (key) => data.changeFilter(key),
    });
    const atlas = createAtlasRelay(relay);
    const scopeKey = (collection: string) => ({ workspaceId: world.workspace.id, appId: world.app.id, scope: 'published' as const, collection });
    for (const caller of ['member', 'viewer', 'admin'] as const) {
      for (const collection of ['requests', 'announcements']) {
        await registry.add({
          connectionId: `conn-${caller}`,
          key: subscriptionKey(scopeKey(collection)),
          userId: world.clients[caller].me.identity.id,
          subscribedAt: new Date().toISOString(),
        });
      }
    }
    const mine = await json<AppDocument>(world.clients.member.request('POST', base('requests'), { title: 'from member' }));
    const theirs = await json<AppDocument>(world.clients.viewer.request('POST', base('requests'), { title: 'from viewer' }));
    const news = await json<AppDocument>(world.clients.admin.request('POST', base('announcements'), { title: 'for everyone' }));
    // What the change stream hands over: the stored documents, as Extended JSON would carry them.
    let token = 0;
    const changeOf = async (collection: string, document: AppDocument, operationType = 'insert') => ({
      _id: { _data: `token-${++token}` },
      operationType,
      ns: { db: 'hangar', coll: await physicalCollectionName(scopeKey(collection)) },
      documentKey: { _id: document._id },
      ...(operationType === 'delete' ? {} : { fullDocument: document as Record<string, unknown> }),
    });
    const batch: DocumentDbChangeEvent = {
      eventSource: 'aws:docdb',
      eventSourceArn: 'arn:test',
      events: [{ event: await changeOf('requests', mine) }, { event: await changeOf('announcements', news) }],
    };
    await relay(batch);
    // The Atlas trigger path goes through the same relay, so the same check.
    expect(await atlas({ source: 'aws.partner/mongodb.com/stitch.trigger/x', detail: await changeOf('requests', theirs) })).toEqual({
      relayed: true,
    });
    const received = (caller: string) =>
      (pusher.sent.get(`conn-${caller}`) ?? []).flatMap((message) =>
        message.type === 'data.changed' ? [`${message.collection}:${String(message.change.document?.title)}`] : [],
      );
    expect(received('admin')).toEqual(['requests:from member', 'announcements:for everyone', 'requests:from viewer']);
    expect(received('member')).toEqual(['requests:from member', 'announcements:for everyone']);
    expect(received('viewer')).toEqual(['announcements:for everyone', 'requests:from viewer']);
  });
});
