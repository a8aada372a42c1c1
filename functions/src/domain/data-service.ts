import { DocumentId, type AppDocument, type DataPage, type DataQuery, type DataScope, type DataScopeKey } from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { AuditLog } from './audit-log';
import { changedFields, validateDocumentFields } from './data-documents';
import { ForbiddenError, NotFoundError, ValidationError } from './errors';
import { roleAtLeast } from './permissions';
import { hashValue } from './redact';
import { builderCollections, type AppRecord, type MembershipRecord } from './records';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

interface ScopeRecord extends StoredDocument, DataScopeKey {
  createdAt: string;
}

export const dataScopesCollection = 'app_data_scopes';

/** The physical store collection of one (app, scope, collection): `d_` + a hash, so names stay short and safe. */
export async function physicalCollectionName(key: Pick<DataScopeKey, 'appId' | 'scope' | 'collection'>): Promise<string> {
  const hash = (await hashValue(`${key.appId}\u0000${key.scope}\u0000${key.collection}`)).slice('sha256:'.length, 'sha256:'.length + 24);
  return `d_${hash}`;
}

/**
 * Live app data: one physical collection per (app, data scope, collection). Access rules:
 * draft data — the app's creator, admins and owners; published data — every member reads,
 * members and above write, viewers only read. Every write is audited with the changed field
 * names and before/after hashes, never values.
 */
export class DataService {
  private readonly known = new Map<string, DataScopeKey>();

  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** Checks access; NotFoundError for non-members and unknown apps, ForbiddenError otherwise. */
  async authorize(actor: Actor, workspaceId: string, appId: string, scope: DataScope, mode: 'read' | 'write'): Promise<AppRecord> {
    const membership = await this.access.member(workspaceId, actor);
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId, workspaceId });
    if (!app) throw new NotFoundError('App not found.');
    if (!allowedBy(app, membership, actor.identity.id, scope, mode)) {
      const why =
        scope === 'draft'
          ? 'Draft data is open to the app’s creator, admins and owners.'
          : 'Viewers can read published data but not change it.';
      return this.access.denied(workspaceId, actor, `data.${mode}`, `${scope} data`, why);
    }
    return app;
  }

  /**
   * Whether a person may still read an app's data scope, rechecked when access changes (no audit
   * entry: nobody asked; the subscription is simply ended). False for an unknown app or a non-member.
   */
  async mayRead(userId: string, appId: string, scope: DataScope): Promise<boolean> {
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId });
    if (!app) return false;
    const membership = await this.access.membershipOf(app.workspaceId, userId);
    return membership !== null && allowedBy(app, membership, userId, scope, 'read');
  }

  /** The scope key of a physical collection, for the relay (null when it is not app data). */
  async scopeOf(physicalName: string): Promise<DataScopeKey | null> {
    const cached = this.known.get(physicalName);
    if (cached) return cached;
    const record = await this.store.collection<ScopeRecord>(dataScopesCollection).findOne({ _id: physicalName });
    if (!record) return null;
    const key = { workspaceId: record.workspaceId, appId: record.appId, scope: record.scope, collection: record.collection };
    this.known.set(physicalName, key);
    return key;
  }

  /**
   * The physical collection; only writes register it, so reads of unused names leave no trace.
   * Public for `AgentDataAccess`, which checks an agent's declared collections instead of a person.
   */
  async documents(key: DataScopeKey, mode: 'read' | 'write' = 'read') {
    const name = await physicalCollectionName(key);
    if (mode === 'write' && !this.known.has(name)) {
      const scopes = this.store.collection<ScopeRecord>(dataScopesCollection);
      if (!(await scopes.findOne({ _id: name }))) {
        // A concurrent first write may have registered it: that duplicate is the only expected error.
        await scopes.insertOne({ _id: name, ...key, createdAt: this.clock.now().toISOString() }).catch((error: unknown) => {
          if (!(error instanceof DuplicateKeyError)) throw error;
        });
      }
      this.known.set(name, key);
    }
    return this.store.collection<AppDocument>(name);
  }

  async collections(actor: Actor, workspaceId: string, appId: string, scope: DataScope): Promise<{ name: string; count: number }[]> {
    await this.authorize(actor, workspaceId, appId, scope, 'read');
    const scopes = await this.store.collection<ScopeRecord>(dataScopesCollection).find({ appId, scope }, { limit: 500 });
    const result: { name: string; count: number }[] = [];
    for (const record of scopes.items) result.push({ name: record.collection, count: await this.store.collection(record._id).count({}) });
    return result.sort((a, b) => a.name.localeCompare(b.name));
  }

  async list(actor: Actor, key: DataScopeKey, query: DataQuery): Promise<DataPage> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'read');
    const page = await (
      await this.documents(key)
    ).find(query.filter ?? {}, {
      ...(query.sort ? { sort: query.sort } : {}),
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { items: page.items, nextCursor: page.nextCursor };
  }

  async get(actor: Actor, key: DataScopeKey, documentId: string): Promise<AppDocument> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'read');
    const document = await (await this.documents(key)).findOne({ _id: documentId });
    if (!document) throw new NotFoundError('Document not found.');
    return document;
  }

  async insert(actor: Actor, key: DataScopeKey, fields: unknown): Promise<AppDocument> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'write');
    const { _id, ...rest } = validateDocumentFields(fields);
    if (_id !== undefined && !DocumentId.safeParse(_id).success)
      throw new ValidationError('_id may hold letters, digits, _ and - (at most 128).');
    const now = this.clock.now().toISOString();
    const document: AppDocument = { ...rest, _id: typeof _id === 'string' ? _id : this.ids('doc'), _createdAt: now, _updatedAt: now };
    await (await this.documents(key, 'write')).insertOne(document);
    await this.auditWrite(actor, key, 'data.inserted', document._id, null, document);
    return document;
  }

  async patch(actor: Actor, key: DataScopeKey, documentId: string, fields: unknown): Promise<AppDocument> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'write');
    const { _id, ...changes } = validateDocumentFields(fields);
    if (_id !== undefined && _id !== documentId) throw new ForbiddenError('A document’s _id cannot change.');
    const collection = await this.documents(key, 'write');
    const before = await collection.findOne({ _id: documentId });
    if (!before) throw new NotFoundError('Document not found.');
    const { _createdAt: _c, _updatedAt: _u, _id: _i, ...existing } = before;
    validateDocumentFields({ ...existing, ...changes });
    const after = await collection.updateOne({ _id: documentId }, { $set: { ...changes, _updatedAt: this.clock.now().toISOString() } });
    if (!after) throw new NotFoundError('Document not found.');
    await this.auditWrite(actor, key, 'data.updated', documentId, before, after);
    return after;
  }

  async remove(actor: Actor, key: DataScopeKey, documentId: string): Promise<void> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'write');
    const before = await (await this.documents(key)).deleteOne({ _id: documentId });
    if (!before) throw new NotFoundError('Document not found.');
    await this.auditWrite(actor, key, 'data.deleted', documentId, before, null);
  }

  private async auditWrite(
    actor: Actor,
    key: DataScopeKey,
    action: string,
    documentId: string,
    before: AppDocument | null,
    after: AppDocument | null,
  ) {
    await this.audit.record({
      workspaceId: key.workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action,
      target: { type: 'document', id: documentId, label: `${key.collection} (${key.scope})` },
      metadata: {
        appId: key.appId,
        scope: key.scope,
        collection: key.collection,
        fields: changedFields(before, after),
        beforeHash: before ? await hashValue(before) : null,
        afterHash: after ? await hashValue(after) : null,
      },
    });
  }
}

/** The access rule of app data: draft for the creator, admins and owners; published reads for everyone, writes for members up. */
function allowedBy(
  app: AppRecord,
  membership: Pick<MembershipRecord, 'role'>,
  userId: string,
  scope: DataScope,
  mode: 'read' | 'write',
): boolean {
  return scope === 'draft'
    ? app.createdBy === userId || roleAtLeast(membership.role, 'admin')
    : mode === 'read' || roleAtLeast(membership.role, 'member');
}
