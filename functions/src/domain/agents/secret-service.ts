import { SecretName } from '@hangar/protocol';
import type { Clock } from '../../ports/clock';
import type { DocumentStore, StoredDocument } from '../../ports/document-store';
import type { SealedSecret, SecretCipher } from '../../ports/secret-cipher';
import type { AuditLog } from '../audit-log';
import { NotFoundError, ValidationError } from '../errors';
import { roleAtLeast } from '../permissions';
import { builderCollections, type AppRecord } from '../records';
import { auditActorOf, type Actor, type WorkspaceAccess } from '../workspace-access';
import { personName } from './audit-summaries';

interface SecretRecord extends StoredDocument {
  workspaceId: string;
  appId: string;
  name: string;
  sealed: SealedSecret;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** What anyone may see of a secret: its name and when it was set, never its value. */
export interface SecretSummary {
  name: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export const secretsCollection = 'app_secrets';
export const secretLimits = { maxValueBytes: 8 * 1024, maxSecretsPerApp: 50 } as const;

/**
 * Per-app secrets: write-only values sealed by the SecretCipher port. Admins and owners set,
 * rotate and delete them; only the tool executor opens them, in the control plane.
 */
export class SecretService {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  private get secrets() {
    return this.store.collection<SecretRecord>(secretsCollection);
  }

  async ensureIndexes(): Promise<void> {
    await this.secrets.createIndex({ keys: { workspaceId: 1, appId: 1, name: 1 }, unique: true });
  }

  private async adminOfApp(actor: Actor, workspaceId: string, appId: string, action: string): Promise<AppRecord> {
    const membership = await this.access.member(workspaceId, actor);
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId });
    if (!app) throw new NotFoundError('App not found.');
    if (!roleAtLeast(membership.role, 'admin'))
      await this.access.denied(
        workspaceId,
        actor,
        action,
        'secrets are managed by admins and owners',
        'Only admins and owners manage secrets.',
      );
    return app;
  }

  /** Names and dates only. */
  async list(actor: Actor, workspaceId: string, appId: string): Promise<SecretSummary[]> {
    await this.adminOfApp(actor, workspaceId, appId, 'secrets.read');
    const { items: records } = await this.secrets.find({ workspaceId, appId }, { sort: { name: 1 }, limit: secretLimits.maxSecretsPerApp });
    return records.map(({ name, updatedAt, updatedBy, version }) => ({ name, updatedAt, updatedBy, version }));
  }

  /** Sets or rotates a value; the answer never holds it. */
  async set(actor: Actor, workspaceId: string, appId: string, name: string, value: string): Promise<SecretSummary> {
    await this.adminOfApp(actor, workspaceId, appId, 'secrets.write');
    if (!SecretName.safeParse(name).success) throw new ValidationError('Secret names are upper snake case like CRM_TOKEN.');
    if (value.length === 0 || new TextEncoder().encode(value).byteLength > secretLimits.maxValueBytes)
      throw new ValidationError(`A secret value is 1 to ${secretLimits.maxValueBytes} bytes.`);
    const existing = await this.secrets.findOne({ workspaceId, appId, name });
    if (!existing && (await this.secrets.count({ workspaceId, appId })) >= secretLimits.maxSecretsPerApp)
      throw new ValidationError(`An app holds at most ${secretLimits.maxSecretsPerApp} secrets.`);
    const sealed = await this.cipher.seal(value, { workspaceId, appId, name });
    const now = this.clock.now().toISOString();
    const version = (existing?.version ?? 0) + 1;
    if (existing)
      await this.secrets.updateOne({ _id: existing._id }, { $set: { sealed, updatedAt: now, updatedBy: actor.identity.id, version } });
    else
      await this.secrets.insertOne({
        _id: `sec_${appId}_${name}`,
        workspaceId,
        appId,
        name,
        sealed,
        updatedAt: now,
        updatedBy: actor.identity.id,
        version,
      });
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: existing ? 'secret.rotated' : 'secret.set',
      target: { type: 'app', id: appId },
      summary: `${personName(actor)} ${existing ? 'rotated' : 'set'} the secret ${name}`,
      // Under `name`: a key like `secret` would be redacted (as it must be for values), hiding which secret changed.
      metadata: { name, version },
    });
    return { name, updatedAt: now, updatedBy: actor.identity.id, version };
  }

  async delete(actor: Actor, workspaceId: string, appId: string, name: string): Promise<void> {
    await this.adminOfApp(actor, workspaceId, appId, 'secrets.delete');
    const existing = await this.secrets.findOne({ workspaceId, appId, name });
    if (!existing) throw new NotFoundError('Secret not found.');
    await this.secrets.deleteOne({ _id: existing._id });
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'secret.deleted',
      target: { type: 'app', id: appId },
      summary: `${personName(actor)} deleted the secret ${name}`,
      metadata: { name },
    });
  }

  /** Opens the named secrets for one tool call; missing names come back in `missing`. Control plane only. */
  async resolve(workspaceId: string, appId: string, names: string[]): Promise<{ values: Map<string, string>; missing: string[] }> {
    const values = new Map<string, string>();
    const missing: string[] = [];
    for (const name of names) {
      const record = await this.secrets.findOne({ workspaceId, appId, name });
      if (!record) missing.push(name);
      else values.set(name, await this.cipher.open(record.sealed, { workspaceId, appId, name }));
    }
    return { values, missing };
  }

  /** Removes every secret of a deleted app. */
  async deleteAllOf(workspaceId: string, appId: string): Promise<number> {
    return this.secrets.deleteMany({ workspaceId, appId });
  }
}
