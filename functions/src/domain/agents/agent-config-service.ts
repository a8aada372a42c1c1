import {
  agentsFilePath,
  agentsHashVersion,
  canonicalJson,
  validateAgentsDocument,
  type AgentsConfigResponse,
  type AgentsDocument,
  type AgentsValidationResult,
} from '@hangar/protocol';
import type { BlobStore } from '../../ports/blob-store';
import type { Clock } from '../../ports/clock';
import type { DocumentStore, StoredDocument } from '../../ports/document-store';
import type { IdGenerator } from '../../ports/id-generator';
import type { AuditLog } from '../audit-log';
import type { BuilderService } from '../builder-service';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import { roleAtLeast } from '../permissions';
import { builderCollections, collections, type MembershipRecord, type RunRecord, type VersionRecord } from '../records';
import type { RunWorkerService } from '../run-worker-service';
import { unifiedDiff } from '../text-diff';
import { auditActorOf, type Actor, type WorkspaceAccess } from '../workspace-access';
import { agentList, personName } from './audit-summaries';
import type { AgentSettingsService } from './agent-settings-service';

interface ApprovalRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  hash: string;
  /** The canonical JSON that was approved, to diff against later and to run published agents from. */
  canonical: string;
  versionId: string | null;
  approvedBy: string;
  approvedAt: string;
}

interface EditRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  versionId: string;
  editedBy: string;
  editedAt: string;
}

export const agentCollections = { approvals: 'agent_approvals', edits: 'agent_config_edits' } as const;

/** The draft agents.json of an app, read from its latest version. */
export interface AgentsDraft {
  versionId: string | null;
  text: string | null;
  document: AgentsDocument | null;
  validation: AgentsValidationResult;
  hash: string | null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The versioned hash an admin approves: sha256 of the canonical JSON (keys sorted). */
export async function agentsHash(document: AgentsDocument): Promise<string> {
  return `${agentsHashVersion}:sha256:${await sha256Hex(canonicalJson(document))}`;
}

const pretty = (canonical: string) => JSON.stringify(JSON.parse(canonical), null, 2);
const noAgents: AgentsValidationResult = { valid: true, errors: [], capabilities: {} };

/**
 * agents.json as governed configuration: read from the app's latest version, validated by the
 * policy in `protocol/`, approved by an admin or owner as a canonical hash. Any edit changes the
 * hash, so the approval goes stale by itself; nothing has to remember to revoke it.
 */
export class AgentConfigService {
  constructor(
    private readonly deps: {
      store: DocumentStore;
      access: WorkspaceAccess;
      audit: AuditLog;
      blobs: BlobStore;
      builder: BuilderService;
      worker: RunWorkerService;
      settings: AgentSettingsService;
      ids: IdGenerator;
      clock: Clock;
    },
  ) {}

  private get approvals() {
    return this.deps.store.collection<ApprovalRecord>(agentCollections.approvals);
  }
  private get edits() {
    return this.deps.store.collection<EditRecord>(agentCollections.edits);
  }

  async ensureIndexes(): Promise<void> {
    await this.approvals.createIndex({ keys: { workspaceId: 1, appId: 1, approvedAt: -1 } });
    await this.edits.createIndex({ keys: { workspaceId: 1, appId: 1, versionId: 1 } });
  }

  /** Validates a document without storing anything. */
  validate(document: unknown): AgentsValidationResult {
    const { valid, errors, capabilities } = validateAgentsDocument(document);
    return { valid, errors, capabilities };
  }

  /** The draft read from a version's files (no access check: callers have checked). */
  async draftOf(version: VersionRecord | null): Promise<AgentsDraft> {
    const file = version?.files.find((candidate) => candidate.path === agentsFilePath);
    if (!version || !file) return { versionId: version?._id ?? null, text: null, document: null, validation: noAgents, hash: null };
    const bytes = await this.deps.blobs.get(file.sha256);
    const text = bytes ? new TextDecoder().decode(bytes) : '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const message = `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
      return {
        versionId: version._id,
        text,
        document: null,
        validation: { valid: false, errors: [{ path: '(document)', message }], capabilities: {} },
        hash: null,
      };
    }
    const validation = validateAgentsDocument(parsed);
    const document = validation.document;
    return {
      versionId: version._id,
      text,
      document,
      validation: { valid: validation.valid, errors: validation.errors, capabilities: validation.capabilities },
      hash: document ? await agentsHash(document) : null,
    };
  }

  private async latestVersion(workspaceId: string, appId: string): Promise<VersionRecord | null> {
    const page = await this.deps.store
      .collection<VersionRecord>(builderCollections.versions)
      .find({ workspaceId, appId }, { sort: { number: -1 }, limit: 1 });
    return page.items[0] ?? null;
  }

  /** The latest approval of an app's agents, whatever its state. */
  async latestApproval(workspaceId: string, appId: string): Promise<ApprovalRecord | null> {
    const page = await this.approvals.find({ workspaceId, appId }, { sort: { approvedAt: -1, _id: -1 }, limit: 1 });
    return page.items[0] ?? null;
  }

  /** An approved configuration by hash (publishing promotes it; published agents run from it). */
  async approvedDocument(workspaceId: string, appId: string, hash: string): Promise<AgentsDocument | null> {
    const record = await this.approvals.findOne({ workspaceId, appId, hash });
    return record ? validateAgentsDocument(JSON.parse(record.canonical)).document : null;
  }

  /** Who last changed agents.json in a version: a console edit, or the person whose prompt built it. */
  private async editorOf(version: VersionRecord | null): Promise<string | null> {
    if (!version) return null;
    const edit = await this.edits.findOne({ versionId: version._id });
    if (edit) return edit.editedBy;
    if (!version.runId) return null;
    const run = await this.deps.store.collection<RunRecord>(builderCollections.runs).findOne({ _id: version.runId });
    return run?.createdBy ?? null;
  }

  /** `GET …/agents`: the draft, its hash and validation, and the approval with what changed since. */
  async get(actor: Actor, workspaceId: string, appId: string): Promise<AgentsConfigResponse> {
    await this.deps.builder.app(actor, workspaceId, appId);
    const version = await this.latestVersion(workspaceId, appId);
    const draft = await this.draftOf(version);
    const approval = await this.latestApproval(workspaceId, appId);
    let approvedByName = approval?.approvedBy ?? '';
    if (approval) {
      const member = await this.deps.store
        .collection<MembershipRecord>(collections.memberships)
        .findOne({ workspaceId, userId: approval.approvedBy });
      approvedByName = member?.name ?? approval.approvedBy;
    }
    const draftCanonical = draft.document ? canonicalJson(draft.document) : null;
    const diff =
      approval && draftCanonical && approval.hash !== draft.hash
        ? unifiedDiff(agentsFilePath, pretty(approval.canonical), pretty(draftCanonical))
        : null;
    return {
      versionId: draft.versionId,
      text: draft.text,
      hash: draft.hash,
      validation: draft.validation,
      approval: approval
        ? {
            hash: approval.hash,
            versionId: approval.versionId,
            approvedBy: approval.approvedBy,
            approvedByName,
            approvedAt: approval.approvedAt,
            state: approval.hash === draft.hash ? 'current' : 'stale',
          }
        : null,
      diffSinceApproval: diff,
      lastEditedBy: await this.editorOf(version),
    };
  }

  /** The draft and whether it holds a current approval: what a draft agent run may use. */
  async draftForRun(workspaceId: string, appId: string): Promise<{ draft: AgentsDraft; approved: boolean }> {
    const draft = await this.draftOf(await this.latestVersion(workspaceId, appId));
    const approval = await this.latestApproval(workspaceId, appId);
    return { draft, approved: draft.hash !== null && draft.validation.valid && approval?.hash === draft.hash };
  }

  /** `PUT …/agents`: a console edit, saved as a new version with only agents.json changed. */
  async update(actor: Actor, workspaceId: string, appId: string, document: unknown): Promise<AgentsConfigResponse> {
    await this.deps.access.require(workspaceId, actor, 'apps.build');
    await this.deps.builder.app(actor, workspaceId, appId);
    const validation = validateAgentsDocument(document);
    if (!validation.valid || !validation.document)
      throw new ValidationError(
        `agents.json is not valid: ${validation.errors[0]?.path ?? ''} ${validation.errors[0]?.message ?? ''}`.trim(),
        validation.errors,
      );
    const latest = await this.latestVersion(workspaceId, appId);
    if (!latest) throw new ConflictError('Build the app once before adding agents.');
    const text = `${JSON.stringify(validation.document, null, 2)}\n`;
    const bytes = new TextEncoder().encode(text);
    const sha256 = await this.deps.blobs.put(bytes);
    const files = [
      ...latest.files.filter((file) => file.path !== agentsFilePath),
      { path: agentsFilePath, sha256, size: bytes.byteLength },
    ];
    const version = await this.deps.worker.createVersion(workspaceId, appId, files, { runId: null, restoredFrom: null });
    await this.edits.insertOne({
      _id: this.deps.ids('age'),
      workspaceId,
      appId,
      versionId: version._id,
      editedBy: actor.identity.id,
      editedAt: this.deps.clock.now().toISOString(),
    });
    const hash = await agentsHash(validation.document);
    await this.deps.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'agents.edited',
      target: { type: 'app', id: appId },
      summary: `${personName(actor)} edited agents.json (${agentList(validation.document.agents)})`,
      metadata: { hash, versionId: version._id, agents: validation.document.agents.map((agent) => agent.id) },
    });
    return this.get(actor, workspaceId, appId);
  }

  /** `POST …/agents/approve {hash}`: admins and owners approve exactly what they saw. */
  async approve(actor: Actor, workspaceId: string, appId: string, hash: string): Promise<AgentsConfigResponse> {
    const membership = await this.deps.access.member(workspaceId, actor);
    await this.deps.builder.app(actor, workspaceId, appId);
    if (!roleAtLeast(membership.role, 'admin'))
      await this.deps.access.denied(
        workspaceId,
        actor,
        'agents.approve',
        'approvals are for admins and owners',
        'Only admins and owners approve agents.',
      );
    const version = await this.latestVersion(workspaceId, appId);
    const draft = await this.draftOf(version);
    if (!draft.document || !draft.hash) throw new ConflictError('This app declares no agents to approve.');
    if (draft.hash !== hash)
      throw new ConflictError('The configuration changed since you loaded it; review the new version and approve again.');
    if (!draft.validation.valid) throw new ValidationError('Fix the validation errors before approving.', draft.validation.errors);
    const settings = await this.deps.settings.get(workspaceId);
    if (settings.forbidSelfApproval && (await this.editorOf(version)) === actor.identity.id) {
      await this.deps.audit.record({
        workspaceId,
        actor: auditActorOf(actor),
        source: actor.source,
        action: 'agents.approve',
        target: { type: 'app', id: appId },
        outcome: 'denied',
        metadata: { hash, reason: 'self-approval is forbidden in this workspace' },
      });
      throw new ForbiddenError('This workspace requires someone else to approve a configuration you edited.');
    }
    await this.approvals.insertOne({
      _id: this.deps.ids('apr'),
      workspaceId,
      appId,
      hash,
      canonical: canonicalJson(draft.document),
      versionId: draft.versionId,
      approvedBy: actor.identity.id,
      approvedAt: this.deps.clock.now().toISOString(),
    });
    await this.deps.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'agents.approved',
      target: { type: 'app', id: appId },
      summary: `${personName(actor)} approved agents.json (${agentList(draft.document.agents)})`,
      metadata: { hash, versionId: draft.versionId, agents: draft.document.agents.map((agent) => agent.id) },
    });
    return this.get(actor, workspaceId, appId);
  }
}
