import {
  activeRunStatuses,
  canonicalJson,
  type AgentCatalog,
  type AgentRunInput,
  type AgentRunSpec,
  type AgentToolCallResponse,
  type AgentTriggerKind,
  type AgentsDocument,
  type CallApproval,
  type DataScope,
  type Run,
  validateAgentsDocument,
} from '@hangar/protocol';
import type { Clock } from '../../ports/clock';
import type { DocumentStore, StoredDocument } from '../../ports/document-store';
import type { IdGenerator } from '../../ports/id-generator';
import type { RunEventLog } from '../../ports/run-event-log';
import type { RunLauncher } from '../../ports/run-launcher';
import type { ScheduledFire, ScheduleSpec } from '../../ports/scheduler';
import type { AuditLog } from '../audit-log';
import { toRun } from '../builder-mappers';
import type { DataService } from '../data-service';
import { ConflictError, HangarError, NotFoundError, ValidationError } from '../errors';
import { roleAtLeast } from '../permissions';
import { hashValue } from '../redact';
import { builderCollections, type AppRecord, type RunRecord } from '../records';
import { queuedRun, type RunLifecycle } from '../run-lifecycle';
import { auditActorOf, type Actor, type WorkspaceAccess } from '../workspace-access';
import { personName } from './audit-summaries';
import type { AgentConfigService } from './agent-config-service';
import type { AgentSettingsService } from './agent-settings-service';
import type { ToolExecutor } from './tool-executor';

interface ApprovalRecord extends StoredDocument, Omit<CallApproval, 'id'> {
  workspaceId: string;
  appId: string;
  inputHash: string;
  used: boolean;
}

export const callApprovalsCollection = 'agent_call_approvals';

/** Who started an agent run: a person, or a schedule. */
type Starter = { kind: 'person'; actor: Actor } | { kind: 'schedule'; scheduleId: string };

/** A limit that refuses a run: 429 with what the limit is, so the console can say it. */
export class AgentLimitError extends HangarError {
  constructor(message: string, details: Record<string, unknown>) {
    super(429, 'limit_reached', message, { details });
  }
}

export interface AgentRunDependencies {
  store: DocumentStore;
  access: WorkspaceAccess;
  audit: AuditLog;
  config: AgentConfigService;
  settings: AgentSettingsService;
  tools: ToolExecutor;
  data: DataService;
  lifecycle: RunLifecycle;
  events: RunEventLog;
  launcher: RunLauncher;
  issueRunToken: (runId: string) => string;
  controlPlaneUrl: () => string;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * App-agent runs: started from the app (`useAgent`), the console or a schedule; limited per
 * workspace (concurrent runs, monthly spend); their tool calls run here, and state-changing calls
 * of agents that hold all three rule-of-two classes wait for a person's approval of that exact call.
 */
export class AgentRunService {
  constructor(private readonly deps: AgentRunDependencies) {}

  private get runs() {
    return this.deps.store.collection<RunRecord>(builderCollections.runs);
  }
  private get approvals() {
    return this.deps.store.collection<ApprovalRecord>(callApprovalsCollection);
  }

  async ensureIndexes(): Promise<void> {
    await this.runs.createIndex({ keys: { workspaceId: 1, kind: 1, status: 1 } });
    await this.approvals.createIndex({ keys: { workspaceId: 1, appId: 1, state: 1 } });
  }

  /** The configuration a run of this scope uses, and whether its tools are live. */
  private async configFor(workspaceId: string, appId: string, scope: DataScope): Promise<{ document: AgentsDocument; live: boolean }> {
    if (scope === 'draft') {
      const { draft, approved } = await this.deps.config.draftForRun(workspaceId, appId);
      if (!draft.document) throw new NotFoundError('This app declares no agents.');
      if (!draft.validation.valid) throw new ValidationError('agents.json has validation errors; fix them first.', draft.validation.errors);
      return { document: draft.document, live: approved };
    }
    const app = await this.deps.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId });
    // Published agents run the configuration approved at publish time (recorded on the app by publishing).
    const hash = app?.publishedVersionId ? (app.publishedAgentsHash ?? null) : null;
    const document = hash ? await this.deps.config.approvedDocument(workspaceId, appId, hash) : null;
    if (!document) throw new NotFoundError('The published app has no approved agents.');
    return { document, live: true };
  }

  /** `POST …/agents/:agentId/runs`: anyone who may use the app's data in that scope may trigger its agents. */
  async start(actor: Actor, workspaceId: string, appId: string, agentId: string, input: AgentRunInput, scope: DataScope): Promise<Run> {
    await this.deps.data.authorize(actor, workspaceId, appId, scope, 'read');
    return this.launch({ kind: 'person', actor }, workspaceId, appId, agentId, input, scope, 'manual');
  }

  /**
   * `GET …/agents/catalog?scope=`: the agents of a scope as the app lists them (`useAgentList`),
   * for anyone who may trigger them there; never their instructions, tools or data access.
   */
  async catalog(actor: Actor, workspaceId: string, appId: string, scope: DataScope): Promise<AgentCatalog> {
    await this.deps.data.authorize(actor, workspaceId, appId, scope, 'read');
    let config: { document: AgentsDocument; live: boolean };
    try {
      config = await this.configFor(workspaceId, appId, scope);
    } catch (error) {
      if (error instanceof NotFoundError) return { items: [] };
      throw error;
    }
    return {
      items: config.document.agents.map((agent) => ({
        id: agent.id,
        name: agent.name,
        description: agent.description,
        manualTrigger: agent.triggers.some((trigger) => trigger.type === 'manual'),
        live: config.live,
      })),
    };
  }

  /** A schedule fired (`plane.schedules.fire` checked it is still published): the published agent runs as the platform. */
  async startScheduled(spec: ScheduleSpec, fire?: ScheduledFire): Promise<Run> {
    await this.deps.audit.record({
      workspaceId: spec.workspaceId,
      actor: { type: 'system', id: spec.id },
      source: 'system',
      action: 'agent.schedule_fired',
      target: { type: 'app', id: spec.appId },
      metadata: { agentId: spec.agentId, scheduleId: spec.id, ...(fire ? { scheduledFor: fire.scheduledFor } : {}) },
    });
    return this.launch(
      { kind: 'schedule', scheduleId: spec.id },
      spec.workspaceId,
      spec.appId,
      spec.agentId,
      spec.input,
      'published',
      'schedule',
    );
  }

  private async launch(
    starter: Starter,
    workspaceId: string,
    appId: string,
    agentId: string,
    input: AgentRunInput,
    scope: DataScope,
    trigger: AgentTriggerKind,
  ): Promise<Run> {
    const { document, live } = await this.configFor(workspaceId, appId, scope);
    const agent = document.agents.find((candidate) => candidate.id === agentId);
    if (!agent) throw new NotFoundError('No such agent in this app.');
    if (trigger === 'manual' && !agent.triggers.some((candidate) => candidate.type === 'manual'))
      throw new ConflictError('This agent runs only on its schedule.');
    await this.checkLimits(starter, workspaceId, appId, agentId);
    const capabilities = validateAgentsDocument(document).capabilities[agentId];
    const spec: AgentRunSpec = {
      agentId,
      agent,
      tools: document.tools.filter((tool) => agent.tools.includes(tool.name)),
      live,
      scope,
      input,
      trigger,
      approvalRequiredFor: live ? (capabilities?.approvalRequiredFor ?? []) : [],
    };
    const now = this.deps.clock.now().toISOString();
    const createdBy = starter.kind === 'person' ? starter.actor.identity.id : `schedule:${starter.scheduleId}`;
    const prompt = `${agent.name} (${trigger}${live ? '' : ', mock tools'})`;
    const run = queuedRun(
      { _id: this.deps.ids('run'), workspaceId, appId, prompt, createdBy, retryOf: null, kind: 'agent', agent: spec },
      now,
    );
    await this.runs.insertOne(run);
    await this.deps.events.append(run._id, { type: 'run.queued', prompt: run.prompt });
    await this.deps.audit.record({
      workspaceId,
      actor: starter.kind === 'person' ? auditActorOf(starter.actor) : { type: 'system', id: starter.scheduleId },
      source: starter.kind === 'person' ? starter.actor.source : 'system',
      action: 'agent.run_started',
      target: { type: 'run', id: run._id },
      summary: `${starter.kind === 'person' ? personName(starter.actor) : 'A schedule'} started ${agent.name} (${trigger}${live ? '' : ', mock tools'})`,
      metadata: { appId, agentId, trigger, scope, live, inputHash: await hashValue(input) },
    });
    try {
      await this.deps.launcher.launch({
        runId: run._id,
        appId,
        workspaceId,
        controlPlaneUrl: this.deps.controlPlaneUrl(),
        runToken: this.deps.issueRunToken(run._id),
      });
    } catch (error) {
      const reason = `The agent could not be started: ${error instanceof Error ? error.message : String(error)}`;
      return toRun(
        await this.deps.lifecycle.transition(run._id, 'fail', { failureReason: reason }, { type: 'run.failed', reason, retryable: true }),
      );
    }
    return toRun(await this.deps.lifecycle.get(run._id));
  }

  private async checkLimits(starter: Starter, workspaceId: string, appId: string, agentId: string): Promise<void> {
    const settings = await this.deps.settings.get(workspaceId);
    const active = await this.runs.count({ workspaceId, kind: 'agent', status: { $in: [...activeRunStatuses] } });
    const now = this.deps.clock.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    let refusal: AgentLimitError | null = null;
    if (active >= settings.maxConcurrentRuns) {
      refusal = new AgentLimitError(
        `This workspace already has ${active} agent runs in progress (the limit is ${settings.maxConcurrentRuns}). Try again when one finishes.`,
        { limit: 'concurrent_runs', value: active, max: settings.maxConcurrentRuns },
      );
    } else {
      const month = await this.runs.find({ workspaceId, kind: 'agent', createdAt: { $gte: monthStart } }, { limit: 200 });
      let spent = 0;
      let cursor = month.nextCursor;
      for (const run of month.items) spent += run.usage.costUsd;
      while (cursor) {
        const page = await this.runs.find({ workspaceId, kind: 'agent', createdAt: { $gte: monthStart } }, { limit: 200, cursor });
        for (const run of page.items) spent += run.usage.costUsd;
        cursor = page.nextCursor;
      }
      if (spent >= settings.monthlySpendLimitUsd)
        refusal = new AgentLimitError(
          `This workspace has spent $${spent.toFixed(2)} on agent runs this month, its limit is $${settings.monthlySpendLimitUsd.toFixed(2)}. An admin can raise it.`,
          { limit: 'monthly_spend', value: spent, max: settings.monthlySpendLimitUsd },
        );
    }
    if (!refusal) return;
    await this.deps.audit.record({
      workspaceId,
      actor: starter.kind === 'person' ? auditActorOf(starter.actor) : { type: 'system', id: starter.scheduleId },
      source: starter.kind === 'person' ? starter.actor.source : 'system',
      action: 'agent.limit_refused',
      target: { type: 'app', id: appId },
      outcome: 'denied',
      metadata: { agentId, ...(refusal.details as Record<string, unknown>) },
    });
    throw refusal;
  }

  /** The agent runs of an app, newest first. */
  async list(actor: Actor, workspaceId: string, appId: string): Promise<Run[]> {
    await this.deps.data.authorize(actor, workspaceId, appId, 'published', 'read');
    const page = await this.runs.find({ workspaceId, appId, kind: 'agent' }, { sort: { _id: -1 }, limit: 100 });
    return page.items.map(toRun);
  }

  /** An agent run that may act now (running), or NotFound / Conflict. */
  async agentRun(runId: string): Promise<RunRecord & { agent: AgentRunSpec }> {
    const run = await this.deps.lifecycle.get(runId);
    if (run.kind !== 'agent' || !run.agent) throw new NotFoundError('This run is not an agent run.');
    if (run.status !== 'running') throw new ConflictError(`The run is ${run.status.replace('_', ' ')}; it cannot call tools.`);
    return { ...run, agent: run.agent };
  }

  /**
   * Approval of one exact call: the first request records it and pauses the run; the worker
   * retries with the approval id once a person approved, and the call must be the same
   * (tool and input hash) or it is refused.
   */
  private async gate(
    run: RunRecord & { agent: AgentRunSpec },
    tool: string,
    input: unknown,
    approvalId: string | undefined,
    preview: () => { preview: Record<string, unknown>; host: string | null },
  ): Promise<{ status: 'proceed' } | { status: 'approval_required'; approvalId: string } | { status: 'refused'; message: string }> {
    if (!run.agent.approvalRequiredFor.includes(tool)) return { status: 'proceed' };
    const inputHash = await hashValue(canonicalJson(input));
    if (approvalId) {
      const record = await this.approvals.findOne({ _id: approvalId, runId: run._id });
      if (!record || record.tool !== tool || record.inputHash !== inputHash)
        return { status: 'refused', message: 'This call is not the one that was approved.' };
      if (record.state !== 'approved') return { status: 'refused', message: 'A person rejected this call.' };
      if (record.used) return { status: 'refused', message: 'This approval was already used; each approval covers one call.' };
      await this.approvals.updateOne({ _id: approvalId, used: false }, { $set: { used: true } });
      return { status: 'proceed' };
    }
    const { preview: shown, host } = preview();
    const record: ApprovalRecord = {
      _id: this.deps.ids('cap'),
      workspaceId: run.workspaceId,
      appId: run.appId,
      runId: run._id,
      agentId: run.agent.agentId,
      tool,
      preview: shown,
      host,
      state: 'pending',
      requestedAt: this.deps.clock.now().toISOString(),
      decidedBy: null,
      decidedAt: null,
      inputHash,
      used: false,
    };
    await this.approvals.insertOne(record);
    await this.deps.lifecycle.transition(
      run._id,
      'requestCallApproval',
      {},
      {
        type: 'agent.call_approval_requested',
        approvalId: record._id,
        tool,
        preview: shown,
        host,
      },
    );
    return { status: 'approval_required', approvalId: record._id };
  }

  /** `POST /internal/runs/:r/tools/:name`: the worker asks; the control plane checks and calls. */
  async callTool(runId: string, name: string, input: unknown, approvalId?: string): Promise<AgentToolCallResponse> {
    const run = await this.agentRun(runId);
    const tool = run.agent.tools.find((candidate) => candidate.name === name && run.agent.agent.tools.includes(name));
    if (!tool) return { status: 'error', category: 'policy', message: `${name} is not a tool of this agent.`, retryable: false };
    let gate: Awaited<ReturnType<AgentRunService['gate']>>;
    try {
      gate = await this.gate(run, name, input, approvalId, () => {
        const preview = this.deps.tools.preview(tool, input);
        return {
          preview: { method: preview.method, url: preview.url, headers: preview.headers, ...(preview.body ? { body: preview.body } : {}) },
          host: preview.host,
        };
      });
    } catch (error) {
      if (error instanceof HangarError) return { status: 'error', category: 'input', message: error.message, retryable: false };
      throw error;
    }
    if (gate.status === 'approval_required') return gate;
    if (gate.status === 'refused') return { status: 'error', category: 'policy', message: gate.message, retryable: false };
    const result = await this.deps.tools.execute({
      workspaceId: run.workspaceId,
      appId: run.appId,
      agentId: run.agent.agentId,
      runId,
      tool,
      input,
      live: run.agent.live,
    });
    return result.ok
      ? { status: 'ok', mock: result.mock, httpStatus: result.status, body: result.body, host: result.host }
      : { status: 'error', category: result.category, message: result.message, retryable: result.retryable };
  }

  /** Data writes of an agent pass the same gate as tools (`update_app_data`). */
  async gateWrite(runId: string, write: unknown, approvalId?: string) {
    const run = await this.agentRun(runId);
    return { run, gate: await this.gate(run, 'update_app_data', write, approvalId, () => ({ preview: { write }, host: null })) };
  }

  /** Pending and decided call approvals of an app. */
  async listApprovals(actor: Actor, workspaceId: string, appId: string): Promise<CallApproval[]> {
    await this.deps.data.authorize(actor, workspaceId, appId, 'published', 'read');
    const page = await this.approvals.find({ workspaceId, appId }, { sort: { _id: -1 }, limit: 100 });
    return page.items.map(({ _id, runId, agentId, tool, preview, host, state, requestedAt, decidedBy, decidedAt }) => ({
      id: _id,
      runId,
      agentId,
      tool,
      preview,
      host,
      state,
      requestedAt,
      decidedBy,
      decidedAt,
    }));
  }

  /** The person who started the run, or an admin or owner, approves or rejects one pending call. */
  async decide(actor: Actor, workspaceId: string, approvalId: string, decision: 'approve' | 'reject'): Promise<CallApproval> {
    const membership = await this.deps.access.member(workspaceId, actor);
    const record = await this.approvals.findOne({ _id: approvalId, workspaceId });
    if (!record) throw new NotFoundError('Approval not found.');
    const run = await this.deps.lifecycle.get(record.runId);
    if (run.createdBy !== actor.identity.id && !roleAtLeast(membership.role, 'admin'))
      await this.deps.access.denied(
        workspaceId,
        actor,
        'agent.call_decide',
        'only the person who started the run, admins and owners decide',
        'Only the person who started this run, admins and owners decide its calls.',
      );
    if (record.state !== 'pending') throw new ConflictError(`This call was already ${record.state}.`);
    const state = decision === 'approve' ? 'approved' : 'rejected';
    const now = this.deps.clock.now().toISOString();
    const updated = await this.approvals.updateOne(
      { _id: approvalId, state: 'pending' },
      { $set: { state, decidedBy: actor.identity.id, decidedAt: now } },
    );
    if (!updated) throw new ConflictError('This call was decided meanwhile.');
    await this.deps.lifecycle.transition(
      record.runId,
      'decideCall',
      {},
      { type: 'agent.call_decided', approvalId, decision: state, by: actor.identity.id },
    );
    await this.deps.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: decision === 'approve' ? 'agent.call_approved' : 'agent.call_rejected',
      target: { type: 'run', id: record.runId },
      summary: `${personName(actor)} ${decision === 'approve' ? 'approved' : 'rejected'} ${record.agentId}'s call to ${record.tool}`,
      metadata: { approvalId, tool: record.tool, host: record.host, agentId: record.agentId },
    });
    const { _id, runId, agentId, tool, preview, host, requestedAt, decidedBy, decidedAt } = updated;
    return { id: _id, runId, agentId, tool, preview, host, state: updated.state, requestedAt, decidedBy, decidedAt };
  }
}
