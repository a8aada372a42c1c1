import type { BuilderInfo } from '@hangar/protocol';
import type { CapabilityTokens } from '../auth/capability-tokens';
import { BuilderService } from '../domain/builder-service';
import { RunLifecycle } from '../domain/run-lifecycle';
import { RunWorkerService } from '../domain/run-worker-service';
import type { Services } from '../domain/services';
import { VersionService } from '../domain/version-service';
import type { BuilderDependencies } from '../http/app-env';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { RunEventLog } from '../ports/run-event-log';
import type { RunLauncher } from '../ports/run-launcher';
import { hasPermission } from '../domain/permissions';
import { ModelGatewayService } from '../domain/model-gateway';
import { modelConfigurationFromEnvironment, type ModelConfiguration } from './model-configuration';

export interface BuilderPorts {
  store: DocumentStore;
  services: Services;
  events: RunEventLog;
  blobs: BlobStore;
  launcher: RunLauncher;
  tokens: CapabilityTokens;
  ids: IdGenerator;
  clock: Clock;
  controlPlaneUrl: () => string;
  /** The model configuration: the console's builder info and the gateway's provider come from it. */
  models: ModelConfiguration;
}

/** Builds the builder's services from ports; shared by every composition root. */
export async function composeBuilder(
  ports: BuilderPorts,
): Promise<
  BuilderDependencies & { info: BuilderInfo; canReadRun: (userId: string, workspaceId: string, runId: string) => Promise<boolean> }
> {
  const { store, services, events, blobs, tokens, ids, clock } = ports;
  const lifecycle = new RunLifecycle(store, events, clock);
  const worker = new RunWorkerService(store, lifecycle, events, blobs, ids, clock);
  const builder = new BuilderService({
    store,
    access: services.access,
    audit: services.audit,
    events,
    lifecycle,
    launcher: ports.launcher,
    issueRunToken: (runId) => tokens.issue({ kind: 'run', runId }, 6 * 3600).token,
    controlPlaneUrl: ports.controlPlaneUrl,
    ids,
    clock,
  });
  await builder.ensureIndexes();
  const versions = new VersionService(store, services.access, services.audit, builder, worker, blobs);
  const models = new ModelGatewayService(store, ports.models.catalog, ids, clock, { monthlySpendLimitUsd: ports.models.monthlySpendLimitUsd });
  const canReadRun = async (userId: string, workspaceId: string, runId: string) => {
    const membership = await services.access.membershipOf(workspaceId, userId);
    if (!membership || !hasPermission(membership.role, 'apps.read')) return false;
    return (await lifecycle.runs().findOne({ _id: runId, workspaceId })) !== null;
  };
  return { builder, versions, worker, tokens, blobs, models, info: ports.models.info, canReadRun };
}

/** What the console shows about the model: the same selection the model gateway calls (`model-configuration.ts`). */
export function builderInfoFromEnvironment(env: Record<string, string | undefined> = process.env): BuilderInfo {
  return modelConfigurationFromEnvironment(env).info;
}
