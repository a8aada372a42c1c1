import type { BuilderInfo } from '@hangar/protocol';
import type { CapabilityTokens } from '../auth/capability-tokens';
import { BuilderService } from '../domain/builder-service';
import { RunLifecycle } from '../domain/run-lifecycle';
import { RunWorkerService } from '../domain/run-worker-service';
import type { Services } from '../domain/services';
import { VersionService } from '../domain/version-service';
import { createGovernanceServices } from '../domain/governance-services';
import type { GovernanceEvents } from '../domain/governance-events';
import type { BuilderDependencies } from '../http/app-env';
import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { RunEventLog } from '../ports/run-event-log';
import type { RunLauncher } from '../ports/run-launcher';

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
  info: BuilderInfo;
  /** Where governance changes are announced (the live console); nobody listens by default. */
  governanceEvents?: GovernanceEvents;
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
  const canReadRun = (userId: string, workspaceId: string, runId: string) => builder.canBuildRun(userId, workspaceId, runId);
  const governance = await createGovernanceServices({
    store,
    services,
    appAccess: builder.appAccess,
    worker,
    blobs,
    ids,
    clock,
    ...(ports.governanceEvents ? { events: ports.governanceEvents } : {}),
  });
  return { builder, versions, worker, tokens, blobs, governance, info: ports.info, canReadRun };
}

/** What the console shows about the model: from the same variables the worker reads. */
export function builderInfoFromEnvironment(env: Record<string, string | undefined> = process.env): BuilderInfo {
  const provider = env.HANGAR_MODEL_PROVIDER ?? (env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (provider === 'offline') {
    return {
      provider,
      model: 'offline-generator-1',
      offline: true,
      note: 'Apps are built by the offline generator: describe a tracker or list with its fields ("a tracker for customer leads with name, email, company, status and next call date"), then ask to "add a field priority" or "rename the app to …". Set ANTHROPIC_API_KEY for the full agent.',
    };
  }
  return { provider, model: env.HANGAR_MODEL ?? 'default', offline: false, note: '' };
}
