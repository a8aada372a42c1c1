import {
  DocumentId,
  type AppDocument,
  type DataChange,
  type DataPage,
  type DataQuery,
  type DataScope,
  type DataScopeKey,
} from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import type { AuditLog } from './audit-log';
import { changedFields, validateDocumentFields } from './data-documents';
import { AppAccess } from './app-access';
import { decideDataAccess, ownerField } from './data-access-rules';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { hashValue } from './redact';
import { builderCollections, type AppRecord } from './records';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

interface ScopeRecord extends StoredDocument, DataScopeKey {
  createdAt: string;
}

export const dataScopesCollection = 'app_data_scopes';

/** Names already hashed (a pure function of the key), so a write does not hash its key again. */
const physicalNames = new Map<string, string>();
/** Bound on `physicalNames`: past it the memo starts over (it only saves work). */
const maxRememberedNames = 10_000;

/** The physical store collection of one (app, scope, collection): `d_` + a hash, so names stay short and safe. */
export async function physicalCollectionName(key: Pick<DataScopeKey, 'appId' | 'scope' | 'collection'>): Promise<string> {
  const logical = `${key.appId}\u0000${key.scope}\u0000${key.collection}`;
  const remembered = physicalNames.get(logical);
  if (remembered !== undefined) return remembered;
  const name = `d_${(await hashValue(logical)).slice('sha256:'.length, 'sha256:'.length + 24)}`;
  if (physicalNames.size >= maxRememberedNames) physicalNames.clear();
  physicalNames.set(logical, name);
  return name;
}

/**
 * Live app data: one physical collection per (app, data scope, collection). Access: draft data
 * is open to the app's builders (creator, collaborators, admins, owners); published data follows
 * the access rules approved with the published version (see `data-access-rules.ts`), including
 * `own` collections where each person reaches only the documents they created. Every write is
 * audited with the changed field names and before/after hashes, never values.
 */
export class DataService {
  private readonly known = new Map<string, DataScopeKey>();
  private readonly appAccess: AppAccess;

  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {
    this.appAccess = new AppAccess(store, access);
  }

  /**
   * Checks access to one collection (or, without `collection`, to the scope as a whole);
   * NotFoundError for non-members and unknown apps, ForbiddenError (audited) otherwise.
   * REST, WebSocket subscriptions and the console's explorer all pass through here.
   */
  async authorize(
    actor: Actor,
    workspaceId: string,
    appId: string,
    scope: DataScope,
    mode: 'read' | 'write',
    collection?: string,
  ): Promise<AppRecord> {
    return (await this.decide(actor, workspaceId, appId, scope, mode, collection)).app;
  }

  /** The access decision, including whether the caller is limited to their own documents. */
  async decide(
    actor: Actor,
    workspaceId: string,
    appId: string,
    scope: DataScope,
    mode: 'read' | 'write',
    collection?: string,
  ): Promise<{ app: AppRecord; ownOnly: boolean }> {
    const membership = await this.access.member(workspaceId, actor);
    const app = await this.appAccess.appOf(workspaceId, appId);
    const decision = await decideDataAccess(this.appAccess, app, membership, scope, mode, collection);
    if (!decision.allowed) return this.access.denied(workspaceId, actor, `data.${mode}`, `${scope} data`, decision.why);
    return { app, ownOnly: decision.ownOnly };
  }

  /**
   * For the relay: a predicate saying which subscriber may receive a change of an `own`
   * collection, or null when every authorized subscriber may (the common, fast case).
   */
  async changeFilter(key: DataScopeKey): Promise<((userId: string, change: DataChange) => Promise<boolean>) | null> {
    if (key.scope !== 'published') return null;
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: key.appId, workspaceId: key.workspaceId });
    if (!app?.publishedVersionId || !app.publishedRules?.collections[key.collection]?.own) return null;
    return async (userId, change) => {
      const membership = await this.access.membershipOf(key.workspaceId, userId);
      if (!membership) return false;
      if (this.appAccess.inAudience('admins', app, membership)) return true;
      return change.document === null || change.document[ownerField] === userId;
    };
  }

  /**
   * Whether a person may still read an app's data scope, rechecked when access changes (no audit
   * entry: nobody asked; the subscription is simply ended). False for an unknown app or a non-member.
   */
  async mayRead(userId: string, appId: string, scope: DataScope): Promise<boolean> {
    const app = await this.store.collection<AppRecord>(builderCollections.apps).findOne({ _id: appId });
    if (!app) return false;
    const membership = await this.access.membershipOf(app.workspaceId, userId);
    if (!membership) return false;
    return (await decideDataAccess(this.appAccess, app, membership, scope, 'read')).allowed;
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
    const { app } = await this.decide(actor, workspaceId, appId, scope, 'read');
    const membership = await this.access.member(workspaceId, actor);
    const scopes = await this.store.collection<ScopeRecord>(dataScopesCollection).find({ appId, scope }, { limit: 500 });
    const result: { name: string; count: number }[] = [];
    for (const record of scopes.items) {
      const decision = await decideDataAccess(this.appAccess, app, membership, scope, 'read', record.collection);
      if (!decision.allowed) continue;
      const filter = decision.ownOnly ? { [ownerField]: actor.identity.id } : {};
      result.push({ name: record.collection, count: await this.store.collection(record._id).count(filter) });
    }
    return result.sort((a, b) => a.name.localeCompare(b.name));
  }

  async list(actor: Actor, key: DataScopeKey, query: DataQuery): Promise<DataPage> {
    const decision = await this.decide(actor, key.workspaceId, key.appId, key.scope, 'read', key.collection);
    const filter = decision.ownOnly ? { $and: [query.filter ?? {}, { [ownerField]: actor.identity.id }] } : (query.filter ?? {});
    const page = await (
      await this.documents(key)
    ).find(filter, {
      ...(query.sort ? { sort: query.sort } : {}),
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { items: page.items, nextCursor: page.nextCursor };
  }

  async get(actor: Actor, key: DataScopeKey, documentId: string): Promise<AppDocument> {
    const decision = await this.decide(actor, key.workspaceId, key.appId, key.scope, 'read', key.collection);
    const document = await (await this.documents(key)).findOne({ _id: documentId });
    if (!document || (decision.ownOnly && document[ownerField] !== actor.identity.id)) throw new NotFoundError('Document not found.');
    return document;
  }

  async insert(actor: Actor, key: DataScopeKey, fields: unknown): Promise<AppDocument> {
    await this.authorize(actor, key.workspaceId, key.appId, key.scope, 'write', key.collection);
    const { _id, ...rest } = validateDocumentFields(fields);
    if (ownerField in rest) throw new BadRequestError(`${ownerField} is set by Hangar.`);
    if (_id !== undefined && !DocumentId.safeParse(_id).success)
      throw new ValidationError('_id may hold letters, digits, _ and - (at most 128).');
    const now = this.clock.now().toISOString();
    const document: AppDocument = {
      ...rest,
      _id: typeof _id === 'string' ? _id : this.ids('doc'),
      _createdAt: now,
      _updatedAt: now,
      [ownerField]: actor.identity.id,
    };
    await (await this.documents(key, 'write')).insertOne(document);
    await this.auditWrite(actor, key, 'data.inserted', document._id, null, document);
    return document;
  }

  async patch(actor: Actor, key: DataScopeKey, documentId: string, fields: unknown): Promise<AppDocument> {
    const decision = await this.decide(actor, key.workspaceId, key.appId, key.scope, 'write', key.collection);
    const { _id, ...changes } = validateDocumentFields(fields);
    if (_id !== undefined && _id !== documentId) throw new ForbiddenError('A document’s _id cannot change.');
    if (ownerField in changes) throw new BadRequestError(`${ownerField} is set by Hangar.`);
    const collection = await this.documents(key, 'write');
    const before = await collection.findOne({ _id: documentId });
    if (!before || (decision.ownOnly && before[ownerField] !== actor.identity.id)) throw new NotFoundError('Document not found.');
    const { _createdAt: _c, _updatedAt: _u, _id: _i, [ownerField]: _o, ...existing } = before;
    validateDocumentFields({ ...existing, ...changes });
    const after = await collection.updateOne({ _id: documentId }, { $set: { ...changes, _updatedAt: this.clock.now().toISOString() } });
    if (!after) throw new NotFoundError('Document not found.');
    await this.auditWrite(actor, key, 'data.updated', documentId, before, after);
    return after;
  }

  async remove(actor: Actor, key: DataScopeKey, documentId: string): Promise<void> {
    const decision = await this.decide(actor, key.workspaceId, key.appId, key.scope, 'write', key.collection);
    const filter = decision.ownOnly ? { _id: documentId, [ownerField]: actor.identity.id } : { _id: documentId };
    const before = await (await this.documents(key)).deleteOne(filter);
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
