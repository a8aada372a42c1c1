import type { BlobStore } from '../ports/blob-store';
import type { Hono } from 'hono';
import { CapabilityTokens } from '../auth/capability-tokens';
import { createAgentServices, type AgentServices } from '../domain/agents/agent-services';
import { createPublishedAgents } from '../domain/agents/agents-publishing';
import type { ScheduleService } from '../domain/agents/schedule-service';
import { createRunReadAccess } from '../domain/agents/agent-run-access';
import { BuilderService } from '../domain/builder-service';
import { ModelGatewayService } from '../domain/model-gateway';
import { createGovernanceServices, type GovernanceServices } from '../domain/governance-services';
import { DataService, dataScopesCollection } from '../domain/data-service';
import { builderCollections, type AppRecord, type RunRecord } from '../domain/records';
import type { AppAccess } from '../domain/app-access';
import type { GovernanceEvents } from '../domain/governance-events';
import { mayReceiveWorkspaceChange, type WorkspaceChange } from '../domain/workspace-event-audience';
import { RunLifecycle } from '../domain/run-lifecycle';
import { RunWorkerService } from '../domain/run-worker-service';
import { createServices, type Services } from '../domain/services';
import { VersionService } from '../domain/version-service';
import type { AppEnv } from '../http/app-env';
import { createApp } from '../http/create-app';
import { originAllowList } from '../http/request-policy';
import { createInProcessDomainEvents, type DomainEvents } from '../ports/domain-events';
import { connectionIdsOf } from '../realtime/connection-records';
import { DataRelay, subscriptionKey } from '../realtime/data-relay';
import { createDocumentDbRelay, documentDbRelayEpoch, type DocumentDbChangeEvent } from '../realtime/documentdb-relay';
import { createPushDelivery } from '../realtime/push-delivery';
import { RunStreams, runSubscriptionKey } from '../realtime/run-streams';
import { createSessionHandlers } from '../realtime/session-handlers';
import { createSubscriptionRevalidator } from '../realtime/subscription-revalidator';
import type { WebSocketHandlers } from '../realtime/websocket-event';
import { WorkspaceChannel } from '../realtime/workspace-channel';
import type { ControlPlaneConfig, ControlPlanePorts } from './control-plane-ports';

/** The whole product, built from ports: what every composition root serves. */
export interface ControlPlane {
  /** Every HTTP route: the console API, app data, builder, versions, the internal worker API and previews. */
  app: Hono<AppEnv>;
  /** `$connect`, `$disconnect`, `$default`: pings, run streams and live data. */
  websocketHandlers: WebSocketHandlers;
  /** A DocumentDB change-stream batch → pushes (the relay Lambda); throws so Lambda retries the batch. */
  relayDocumentDbChanges: (event: DocumentDbChangeEvent) => Promise<void>;
  services: Services;
  data: DataService;
  worker: RunWorkerService;
  agents: AgentServices;
  /**
   * App-agent schedules: `fire` is the one function every scheduler adapter's fire calls (the
   * in-process timer, the EventBridge target Lambda); `restore` re-puts stored schedules into an
   * adapter that keeps none (the in-process one, at start).
   */
  schedules: ScheduleService;
  /** The model gateway: model calls of workers, usage and spend. */
  models: ModelGatewayService;
  /** Reviews, publishing, collaborators, teams, settings, audit export and retention. */
  governance: GovernanceServices;
  /** The snapshot blob store (tests record versions the way a worker does). */
  blobs: BlobStore;
  domainEvents: DomainEvents;
  /** Starts the in-process data feed when the configuration asks for one; idempotent. */
  start(): void;
  /** Stops what `start` started. The ports belong to the root, which closes them. */
  stop(): Promise<void>;
}

/** Run tokens outlive the longest run. */
const runTokenSeconds = 6 * 3600;

/**
 * Builds every service, route group, relay, run stream and WebSocket handler from ports and a
 * typed configuration. The local host, the Lambda entry points and the test harness all call
 * this; they only choose adapters (decision 0010).
 */
export async function composeControlPlane(ports: ControlPlanePorts, config: ControlPlaneConfig): Promise<ControlPlane> {
  const { store, registry, clock, ids } = ports;
  const { log } = config;
  const domainEvents = createInProcessDomainEvents((error, event) =>
    log(`reacting to ${event.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  const services = await createServices({ store, ids, clock, events: domainEvents });
  const deliver = createPushDelivery(ports.pusher, { log, ...config.delivery });

  // Every append, by any service, is pushed to the run's subscribers (push on append).
  const runStreams = new RunStreams({ events: ports.runEvents, registry, deliver, log });
  const events = runStreams.log;
  const tokens = new CapabilityTokens(ports.capabilitySecret);
  // The live console: every open console of a workspace hears of its changes, authorized per event.
  let appAccess: AppAccess | null = null;
  const workspaceChannel = new WorkspaceChannel({
    registry,
    deliver,
    log,
    membershipOf: (workspaceId, userId) => services.access.membershipOf(workspaceId, userId),
    appOf: (workspaceId, appId) => store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId }),
    mayReceive: (change, app, membership) =>
      appAccess ? mayReceiveWorkspaceChange(appAccess, change, app, membership) : Promise.resolve(false),
    connectionsOf: (userId) => connectionIdsOf(store, userId),
  });
  const toConsoles = async (change: WorkspaceChange) => {
    // The change is committed and audited: a console that misses it catches up on its next fetch.
    await workspaceChannel.publish(change).catch((error: unknown) => log(`workspace channel: ${error instanceof Error ? error.message : String(error)}`));
  };
  const accessChanges = new Set([
    'app.published',
    'app.unpublished',
    'app.deleted',
    'app.collaborators_changed',
    'app.visibility_changed',
    'team.members_changed',
    'team.deleted',
  ]);
  const governanceEvents: GovernanceEvents = {
    publish: async (event) => {
      // A governance change that changes who may see an app rechecks that app's open subscriptions at once.
      if (event.appId && accessChanges.has(event.type))
        await domainEvents.publish({ type: 'app.access_changed', workspaceId: event.workspaceId, appId: event.appId });
      const { type, appId, targetId, at, appBefore } = event;
      await toConsoles({
        workspaceId: event.workspaceId,
        kind: type,
        at,
        ...(appId ? { appId } : {}),
        ...(targetId ? { targetId } : {}),
        ...(appBefore ? { appBefore } : {}),
      });
    },
  };
  const lifecycle = new RunLifecycle(store, events, clock);
  const worker = new RunWorkerService(store, lifecycle, events, ports.blobs, ids, clock);
  const builder = new BuilderService({
    store,
    access: services.access,
    audit: services.audit,
    events,
    lifecycle,
    launcher: ports.launcher,
    issueRunToken: (runId) => tokens.issue({ kind: 'run', runId }, runTokenSeconds).token,
    controlPlaneUrl: () => config.internalApiUrl,
    ids,
    clock,
    governanceEvents,
  });
  appAccess = builder.appAccess;
  await builder.ensureIndexes();
  const models = new ModelGatewayService(store, config.models.catalog, ids, clock, {
    monthlySpendLimitUsd: config.models.monthlySpendLimitUsd,
  });
  const versions = new VersionService(store, services.access, services.audit, builder, worker, ports.blobs);
  ports.launcher.onWorkerExit?.((runId, detail) => {
    worker.workerExited(runId, detail).catch((error: unknown) => log(`worker exit handling failed: ${String(error)}`));
  });

  const data = new DataService(store, services.access, services.audit, ids, clock);
  const scopeOf = (name: string) => data.scopeOf(name);
  const documentDbRelay = createDocumentDbRelay({
    store,
    registry,
    pusher: ports.pusher,
    scopeOf,
    // `own` collections: each subscriber receives only the changes of documents they may see.
    changeFilter: (key) => data.changeFilter(key),
    log,
    ...(config.delivery ? { delivery: config.delivery } : {}),
  });
  const relay = new DataRelay({
    store,
    registry,
    pusher: ports.pusher,
    scopeOf,
    // `own` collections: each subscriber receives only the changes of documents they may see.
    changeFilter: (key) => data.changeFilter(key),
    log,
    ...(config.delivery ? { delivery: config.delivery } : {}),
    // With a separate relay, sequence numbers are durable and shared, so subscribers start after them.
    ...(config.dataFeed === 'documentdb-stream' ? { epoch: documentDbRelayEpoch, sequenceOf: documentDbRelay.sequenceOf } : {}),
  });

  const runOf = (runId: string) => store.collection<RunRecord>(builderCollections.runs).findOne({ _id: runId });
  // Who may watch a run: who may build its app (creator, collaborators, admins, owners), and the
  // person who triggered an agent run while they may still use that agent.
  const canReadRun = createRunReadAccess({
    runOf,
    canBuildRun: (userId, workspaceId, runId) => builder.canBuildRun(userId, workspaceId, runId),
    mayUseAgents: (userId, appId, scope) => data.mayRead(userId, appId, scope),
  });
  // App agents come before governance: publishing checks their approval and syncs their schedules.
  const agents = await createAgentServices({
    store,
    access: services.access,
    audit: services.audit,
    blobs: ports.blobs,
    builder,
    worker,
    cipher: ports.secretCipher,
    outbound: ports.outbound,
    scheduler: ports.scheduler,
    data,
    lifecycle,
    events,
    launcher: ports.launcher,
    issueRunToken: (runId) => tokens.issue({ kind: 'run', runId }, runTokenSeconds).token,
    controlPlaneUrl: () => config.internalApiUrl,
    ids,
    clock,
    log,
  });

  const governance = await createGovernanceServices({
    store,
    services,
    appAccess: builder.appAccess,
    worker,
    blobs: ports.blobs,
    ids,
    clock,
    agents: createPublishedAgents(agents.config, agents.schedules),
    events: governanceEvents,
  });
  worker.onVersionCreated((version) =>
    toConsoles({ workspaceId: version.workspaceId, kind: 'version.created', appId: version.appId, targetId: version._id, at: version.createdAt }),
  );
  domainEvents.subscribe(
    createSubscriptionRevalidator({
      registry,
      connectionsOf: (userId) => connectionIdsOf(store, userId),
      keysOfApp: async (appId) => {
        const scopes = await store
          .collection<{ _id: string; appId: string; scope: 'draft' | 'published'; collection: string }>(dataScopesCollection)
          .find({ appId }, { limit: 1000 });
        const runs = await store.collection<RunRecord>(builderCollections.runs).find({ appId }, { limit: 1000 });
        return [...scopes.items.map((scope) => subscriptionKey(scope)), ...runs.items.map((run) => runSubscriptionKey(run._id))];
      },
      mayReadData: (userId, appId, scope) => data.mayRead(userId, appId, scope),
      mayReadRun: async (userId, runId) => {
        const run = await runOf(runId);
        return run !== null && (await canReadRun(userId, run.workspaceId, runId));
      },
      revokeData: (connectionId, key, reason) => relay.revoke(connectionId, key, reason),
      revokeRun: (connectionId, runId, reason) => runStreams.revoke(connectionId, runId, reason),
    }),
  );
  // After the revalidator: a removed member's streams and channel end before the workspace hears of it.
  domainEvents.subscribe((event) => workspaceChannel.onDomainEvent(event, clock.now().toISOString()));

  const allowedOrigins = originAllowList(config.allowedOrigins);
  const app = createApp({
    services,
    authenticator: ports.authenticator,
    sessionCodec: ports.sessionCodec,
    builder: { builder, versions, worker, tokens, blobs: ports.blobs, models, governance, info: config.models.info },
    data,
    agents,
    config: {
      version: config.version,
      storeKind: store.kind,
      allowedOrigins,
      allowedHosts: config.allowedHosts,
      ...(config.oidc ? { oidc: config.oidc } : {}),
      ...(config.rateLimits ? { rateLimits: config.rateLimits } : {}),
    },
    ...(config.clientAddress ? { clientAddress: config.clientAddress } : {}),
  });
  const websocketHandlers = createSessionHandlers({
    authenticator: ports.authenticator,
    pusher: ports.pusher,
    deliver,
    store,
    clock,
    log,
    runs: { streams: runStreams, canRead: canReadRun },
    data: { relay, service: data },
    workspace: {
      channel: workspaceChannel,
      mayFollow: async (userId, workspaceId) => (await services.access.membershipOf(workspaceId, userId)) !== null,
    },
    allowedOrigins,
    allowedHosts: config.allowedHosts,
  });

  return {
    app,
    websocketHandlers,
    relayDocumentDbChanges: documentDbRelay,
    services,
    data,
    worker,
    agents,
    schedules: agents.schedules,
    models,
    governance,
    blobs: ports.blobs,
    domainEvents,
    start() {
      if (config.dataFeed === 'in-process') relay.start();
    },
    stop: () => relay.stop(),
  };
}
