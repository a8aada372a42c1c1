import { z } from 'zod';
import type { DocumentDbChangeEvent } from './documentdb-relay';

/**
 * The change event an Atlas Database Trigger puts on the partner event bus, in `detail`
 * (Extended JSON, as the DocumentDB event source delivers it). Other fields pass through.
 */
const AtlasChange = z.object({
  _id: z.object({ _data: z.string().min(1).max(1024) }),
  operationType: z.string().min(1).max(32),
  ns: z.object({ db: z.string().min(1).max(64), coll: z.string().min(1).max(255) }),
  documentKey: z.object({ _id: z.unknown() }),
  fullDocument: z.record(z.string(), z.unknown()).optional(),
});

export const AtlasTriggerEvent = z.object({
  source: z.string().startsWith('aws.partner/mongodb.com').max(256),
  'detail-type': z.string().max(256).optional(),
  detail: AtlasChange,
});

/** A change the relay could not push; thrown so EventBridge retries the event (then its DLQ). */
export class AtlasRelayError extends Error {
  readonly code = 'relay_failed';
  readonly status = 503;
  readonly retryable = true;
  constructor(token: string) {
    super(`relaying the Atlas change ${token} failed`);
    this.name = 'AtlasRelayError';
  }
}

/**
 * The Atlas relay: one EventBridge event carries one change; it goes through the same relay as
 * DocumentDB batches (same sequence numbers, same "already relayed" check), as a batch of one.
 * A malformed event is dropped (retrying it cannot help); a failed push throws to be retried.
 */
export function createAtlasRelay(relay: (event: DocumentDbChangeEvent) => Promise<void>, log: (message: string) => void = () => undefined) {
  return async (event: unknown): Promise<{ relayed: boolean }> => {
    const parsed = AtlasTriggerEvent.safeParse(event);
    if (!parsed.success) {
      log(`dropped a malformed Atlas event: ${parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ')}`);
      return { relayed: false };
    }
    const change = parsed.data.detail;
    try {
      await relay({ eventSource: 'aws:docdb', eventSourceArn: parsed.data.source, events: [{ event: change }] });
    } catch (error) {
      log(`relaying ${change._id._data} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new AtlasRelayError(change._id._data);
    }
    return { relayed: true };
  };
}
