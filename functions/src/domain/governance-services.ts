import type { BlobStore } from '../ports/blob-store';
import type { Clock } from '../ports/clock';
import type { DocumentStore } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import { AppAdminService } from './app-admin-service';
import type { AppAccess } from './app-access';
import { AuditRetention } from './audit-retention';
import { CollaboratorService } from './collaborator-service';
import type { GovernanceContext, PublishedAgents } from './governance-context';
import { noGovernanceEvents, type GovernanceEvents } from './governance-events';
import { PublishService } from './publish-service';
import { ReviewService } from './review-service';
import type { RunWorkerService } from './run-worker-service';
import type { Services } from './services';
import { TeamService } from './team-service';
import { WorkspaceSettingsService } from './workspace-settings-service';

/** Draft → review → publish, collaborators, teams, settings and audit retention. */
export interface GovernanceServices {
  reviews: ReviewService;
  publishing: PublishService;
  apps: AppAdminService;
  collaborators: CollaboratorService;
  teams: TeamService;
  settings: WorkspaceSettingsService;
  retention: AuditRetention;
  appAccess: AppAccess;
}

export interface GovernancePorts {
  store: DocumentStore;
  services: Services;
  appAccess: AppAccess;
  worker: RunWorkerService;
  blobs: BlobStore;
  ids: IdGenerator;
  clock: Clock;
  /** Where governance changes are announced (the live console); nobody listens by default. */
  events?: GovernanceEvents;
  /** App agents at publish time: the approval check, the published hash and schedules. */
  agents?: PublishedAgents;
}

/** Builds the governance services and hooks reviews onto new versions; every composition root calls it. */
export async function createGovernanceServices(ports: GovernancePorts): Promise<GovernanceServices> {
  const events = ports.events ?? noGovernanceEvents;
  const context: GovernanceContext = {
    store: ports.store,
    access: ports.services.access,
    appAccess: ports.appAccess,
    audit: ports.services.audit,
    blobs: ports.blobs,
    events,
    ids: ports.ids,
    clock: ports.clock,
    ...(ports.agents ? { agents: ports.agents } : {}),
  };
  const reviews = new ReviewService(context);
  const settings = new WorkspaceSettingsService(context);
  const teams = new TeamService(context);
  await reviews.ensureIndexes();
  await teams.ensureIndexes();
  ports.worker.onVersionCreated(async (version) => {
    const app = await ports.appAccess.appOf(version.workspaceId, version.appId).catch(() => null);
    await ports.services.audit.record({
      workspaceId: version.workspaceId,
      actor: version.runId ? { type: 'agent', id: version.runId } : { type: 'system', id: 'versions' },
      source: version.runId ? 'agent' : 'system',
      action: 'version.created',
      target: { type: 'app', id: version.appId, label: app?.name ?? version.appId },
      summary: `Version ${version.number} of ${app?.name ?? version.appId} was ${version.restoredFrom ? 'restored' : 'built'}`,
      metadata: { versionId: version._id, number: version.number, runId: version.runId, fileCount: version.fileCount, restoredFrom: version.restoredFrom },
    });
    await reviews.versionCreated(version);
  });
  return {
    reviews,
    publishing: new PublishService(context, reviews),
    apps: new AppAdminService(context),
    collaborators: new CollaboratorService(context),
    teams,
    settings,
    retention: new AuditRetention(ports.store, ports.services.audit, settings, events, ports.clock),
    appAccess: ports.appAccess,
  };
}
