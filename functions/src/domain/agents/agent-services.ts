import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { DocumentStore } from '../../ports/document-store';
import type { IdGenerator } from '../../ports/id-generator';
import type { OutboundHttp } from '../../ports/outbound-http';
import type { Scheduler } from '../../ports/scheduler';
import type { SecretCipher } from '../../ports/secret-cipher';
import type { AuditLog } from '../audit-log';
import type { BuilderService } from '../builder-service';
import type { RunWorkerService } from '../run-worker-service';
import type { DataService } from '../data-service';
import type { RunLifecycle } from '../run-lifecycle';
import type { RunEventLog } from '../../ports/run-event-log';
import type { RunLauncher } from '../../ports/run-launcher';
import type { WorkspaceAccess } from '../workspace-access';
import { AgentConfigService } from './agent-config-service';
import { AgentDataAccess } from './agent-data-access';
import { AgentRunService } from './agent-run-service';
import { AgentSettingsService } from './agent-settings-service';
import { ScheduleService } from './schedule-service';
import { SecretService } from './secret-service';
import { ToolExecutor } from './tool-executor';

/** The app-agent services, built from ports (the composition passes the cipher and outbound adapters). */
export interface AgentServices {
  config: AgentConfigService;
  secrets: SecretService;
  settings: AgentSettingsService;
  tools: ToolExecutor;
  runs: AgentRunService;
  /** Schedules of published agents, and the one `fire` every scheduler adapter calls. */
  schedules: ScheduleService;
  dataAccess: AgentDataAccess;
  builder: BuilderService;
  access: WorkspaceAccess;
  audit: AuditLog;
}

export async function createAgentServices(ports: {
  store: DocumentStore;
  access: WorkspaceAccess;
  audit: AuditLog;
  blobs: BlobStore;
  builder: BuilderService;
  worker: RunWorkerService;
  cipher: SecretCipher;
  outbound: OutboundHttp;
  scheduler: Scheduler;
  data: DataService;
  lifecycle: RunLifecycle;
  events: RunEventLog;
  launcher: RunLauncher;
  issueRunToken: (runId: string) => string;
  controlPlaneUrl: () => string;
  ids: IdGenerator;
  clock: Clock;
  log: (message: string) => void;
}): Promise<AgentServices> {
  const settings = new AgentSettingsService(ports.store);
  const secrets = new SecretService(ports.store, ports.access, ports.audit, ports.cipher, ports.clock);
  const config = new AgentConfigService({ ...ports, settings });
  const tools = new ToolExecutor(secrets, ports.outbound, ports.audit);
  const runs = new AgentRunService({ ...ports, config, settings, tools });
  const schedules = new ScheduleService({ ...ports, config, runs });
  await secrets.ensureIndexes();
  await config.ensureIndexes();
  await runs.ensureIndexes();
  await schedules.ensureIndexes();
  return {
    config,
    secrets,
    settings,
    tools,
    runs,
    schedules,
    dataAccess: new AgentDataAccess(ports.data, ports.audit, ports.ids, ports.clock),
    builder: ports.builder,
    access: ports.access,
    audit: ports.audit,
  };
}
