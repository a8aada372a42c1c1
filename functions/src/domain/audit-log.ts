import {
  limits,
  type AuditActor,
  type AuditEvent,
  type AuditOutcome,
  type AuditQuery,
  type AuditSource,
  type AuditTarget,
  type Page,
} from '@hangar/protocol';
import type { Clock } from '../ports/clock';
import type { DocumentStore, Filter, StoredDocument } from '../ports/document-store';
import type { IdGenerator } from '../ports/id-generator';
import { redactMetadata } from './redact';

type AuditDocument = StoredDocument & Omit<AuditEvent, 'id'>;

export interface AuditRecord {
  workspaceId: string;
  actor: AuditActor;
  source: AuditSource;
  action: string;
  target: AuditTarget;
  outcome?: AuditOutcome;
  metadata?: Record<string, unknown>;
  /** A readable sentence; derived from the actor, action and target when absent. */
  summary?: string;
}

/** "ada@example.com · app.created · Leads" when a service gives no sentence of its own. */
export function defaultSummary(entry: Pick<AuditRecord, 'actor' | 'action' | 'target' | 'outcome'>): string {
  const who = entry.actor.email ?? entry.actor.id;
  // Ids are not sentences: the target's label, else its kind (the id stays in `target`).
  const what = entry.target.label ?? entry.target.type;
  return `${who} · ${entry.action} · ${what}${entry.outcome && entry.outcome !== 'success' ? ` (${entry.outcome})` : ''}`;
}

export const auditCollection = 'audit_events';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Append-only audit log. Ids are time-ordered, so `_id` descending is newest first. */
export class AuditLog {
  constructor(
    private readonly store: DocumentStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  private get events() {
    return this.store.collection<AuditDocument>(auditCollection);
  }

  /** Deletes a workspace's events older than `before` (the retention purge); answers how many. */
  async purgeBefore(workspaceId: string, before: string): Promise<number> {
    return this.events.deleteMany({ workspaceId, time: { $lt: before } });
  }

  async ensureIndexes(): Promise<void> {
    await this.events.createIndex({ keys: { workspaceId: 1, action: 1 } });
    await this.events.createIndex({ keys: { workspaceId: 1, 'actor.id': 1 } });
  }

  /** Records one event; metadata is redacted before it is stored. */
  async record(entry: AuditRecord): Promise<AuditEvent> {
    const metadata = (await redactMetadata(entry.metadata ?? {})) as Record<string, unknown>;
    const document: AuditDocument = {
      _id: this.ids('aud'),
      workspaceId: entry.workspaceId,
      time: this.clock.now().toISOString(),
      actor: entry.actor,
      source: entry.source,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome ?? 'success',
      metadata,
      summary: (entry.summary ?? defaultSummary(entry)).slice(0, 500),
    };
    await this.events.insertOne(document);
    return toAuditEvent(document);
  }

  /** Newest first, filtered, with cursor pagination. */
  async list(workspaceId: string, query: AuditQuery): Promise<Page<AuditEvent>> {
    const clauses: Filter[] = [{ workspaceId }];
    if (query.action) {
      clauses.push(
        query.action.endsWith('.*') ? { action: { $regex: `^${escapeRegex(query.action.slice(0, -1))}` } } : { action: query.action },
      );
    }
    if (query.actorId) clauses.push({ 'actor.id': query.actorId });
    if (query.targetType) clauses.push({ 'target.type': query.targetType });
    if (query.outcome) clauses.push({ outcome: query.outcome });
    if (query.from) clauses.push({ time: { $gte: query.from } });
    if (query.to) clauses.push({ time: { $lte: query.to } });
    if (query.q) {
      const pattern = { $regex: escapeRegex(query.q), $options: 'i' };
      clauses.push({
        $or: [
          { action: pattern },
          { summary: pattern },
          { 'actor.email': pattern },
          { 'actor.id': pattern },
          { 'target.label': pattern },
          { 'target.id': pattern },
        ],
      });
    }
    const page = await this.events.find(
      { $and: clauses },
      { sort: { _id: -1 }, limit: query.limit ?? limits.defaultPageSize, ...(query.cursor ? { cursor: query.cursor } : {}) },
    );
    return { items: page.items.map(toAuditEvent), nextCursor: page.nextCursor };
  }
}

function toAuditEvent({ _id, ...rest }: AuditDocument): AuditEvent {
  return { id: _id, ...rest };
}
