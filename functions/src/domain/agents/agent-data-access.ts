import { DocumentId, type AgentDataWriteBody, type AgentRunSpec, type AppDocument, type DataFilter } from '@hangar/protocol';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/id-generator';
import type { AuditLog } from '../audit-log';
import { changedFields, validateDocumentFields } from '../data-documents';
import type { DataService } from '../data-service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { hashValue } from '../redact';
import type { RunRecord } from '../records';

/**
 * App data as an agent reaches it: only the collections its approved configuration declares
 * (read list for reads, write list for writes), only in the run's scope, only while the
 * configuration is live. Checked here, in the control plane, whatever the worker sends.
 * Writes go through the same store and change feed as people's, so they appear live.
 */
export class AgentDataAccess {
  constructor(
    private readonly data: DataService,
    private readonly audit: AuditLog,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** The scope key, when the agent's configuration allows this access; ForbiddenError otherwise. */
  key(run: RunRecord & { agent: AgentRunSpec }, collection: string, mode: 'read' | 'write') {
    const { agent } = run;
    if (!agent.live) throw new ForbiddenError('This agent’s configuration is not approved, so it has no access to app data.');
    const allowed = mode === 'read' ? agent.agent.dataCollections.read : agent.agent.dataCollections.write;
    if (!allowed.includes(collection))
      throw new ForbiddenError(`The agent may not ${mode} "${collection}": its configuration allows ${allowed.join(', ') || 'none'}.`);
    return { workspaceId: run.workspaceId, appId: run.appId, scope: agent.scope, collection };
  }

  async read(
    run: RunRecord & { agent: AgentRunSpec },
    collection: string,
    filter: DataFilter | undefined,
    limit: number,
  ): Promise<AppDocument[]> {
    const documents = await this.data.documents(this.key(run, collection, 'read'));
    return (await documents.find(filter ?? {}, { limit })).items;
  }

  async write(run: RunRecord & { agent: AgentRunSpec }, write: AgentDataWriteBody): Promise<AppDocument[]> {
    const key = this.key(run, write.collection, 'write');
    const documents = await this.data.documents(key, 'write');
    const now = this.clock.now().toISOString();
    let before: AppDocument | null = null;
    let after: AppDocument | null = null;
    switch (write.operation) {
      case 'insert': {
        const { _id, ...rest } = validateDocumentFields(write.document);
        if (_id !== undefined && !DocumentId.safeParse(_id).success)
          throw new ValidationError('_id may hold letters, digits, _ and - (at most 128).');
        after = { ...rest, _id: typeof _id === 'string' ? _id : this.ids('doc'), _createdAt: now, _updatedAt: now };
        await documents.insertOne(after);
        break;
      }
      case 'update': {
        const { _id, ...changes } = validateDocumentFields(write.set);
        if (_id !== undefined && _id !== write.id) throw new ForbiddenError('A document’s _id cannot change.');
        before = await documents.findOne({ _id: write.id });
        if (!before) throw new NotFoundError('Document not found.');
        const { _createdAt: _c, _updatedAt: _u, _id: _i, ...existing } = before;
        validateDocumentFields({ ...existing, ...changes });
        after = await documents.updateOne({ _id: write.id }, { $set: { ...changes, _updatedAt: now } });
        break;
      }
      case 'delete':
        before = await documents.deleteOne({ _id: write.id });
        if (!before) throw new NotFoundError('Document not found.');
        break;
    }
    const documentId = after?._id ?? before?._id ?? '';
    await this.audit.record({
      workspaceId: run.workspaceId,
      actor: { type: 'agent', id: run.agent.agentId },
      source: 'agent',
      action: write.operation === 'insert' ? 'data.inserted' : write.operation === 'update' ? 'data.updated' : 'data.deleted',
      target: { type: 'document', id: documentId, label: `${write.collection} (${key.scope})` },
      metadata: {
        appId: run.appId,
        runId: run._id,
        scope: key.scope,
        collection: write.collection,
        fields: changedFields(before, after),
        beforeHash: before ? await hashValue(before) : null,
        afterHash: after ? await hashValue(after) : null,
      },
    });
    return after ? [after] : [];
  }
}
