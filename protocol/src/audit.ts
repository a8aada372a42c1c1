import { z } from 'zod';
import { Cursor, Id, IsoDateTime, PageSize } from './common';
import { limits } from './limits';

export const AuditActor = z.strictObject({
  type: z.enum(['user', 'agent', 'system']),
  id: z.string(),
  email: z.string().optional(),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** Where the action came from. */
export const AuditSource = z.enum(['console', 'api', 'websocket', 'agent', 'system']);
export type AuditSource = z.infer<typeof AuditSource>;

export const AuditOutcome = z.enum(['success', 'denied', 'failure']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditTarget = z.strictObject({
  type: z.string(),
  id: z.string(),
  label: z.string().optional(),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

/** One append-only audit record. Metadata is redacted before it is stored. */
export const AuditEvent = z.strictObject({
  id: Id,
  workspaceId: Id,
  time: IsoDateTime,
  actor: AuditActor,
  source: AuditSource,
  action: z.string(),
  target: AuditTarget,
  outcome: AuditOutcome,
  metadata: z.record(z.string(), z.unknown()),
  /** A readable sentence ("Ada published Leads v3"), searched by `q`. */
  summary: z.string().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Query string of `GET /api/workspaces/:w/audit-events`. */
export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  outcome: AuditOutcome.optional(),
  q: z.string().max(limits.maxSearchLength).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  cursor: Cursor.optional(),
  limit: PageSize.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
