/**
 * Turns a run of messages queued for ONE connection into as few WebSocket frames as the protocol
 * allows: adjacent `data.changed` / `data.changes` messages of the same (app, scope, collection)
 * become one `data.changes` frame; everything else goes out as it was, in the same order.
 * Shared by the in-process pusher and the bounded fan-out of the relay Lambda.
 */

/** The protocol's cap on changes in one `data.changes` frame. */
export const maxChangesPerFrame = 500;
/** Stays under API Gateway's 128 KB PostToConnection limit with room for the envelope. */
export const maxCoalescedFrameBytes = 120 * 1024;

/** One frame to send, and the queued entries it carries (each is answered by the frame's outcome). */
export interface CoalescedFrame<Source> {
  /** The frame as a message (what a pusher's `post` takes). */
  data: unknown;
  /** The same frame serialized (what a socket sends). */
  text: string;
  sources: Source[];
}

/**
 * The JSON of each change object, kept while the object lives: the relay posts the SAME change
 * object to every subscriber, so it is serialized once per change, not once per connection.
 * (Messages handed to a pusher are not mutated afterwards; the relay never does.)
 */
const serializedChanges = new WeakMap<object, string>();

function serializeChange(change: unknown): string {
  if (typeof change !== 'object' || change === null) return JSON.stringify(change);
  let text = serializedChanges.get(change);
  if (text === undefined) {
    text = JSON.stringify(change);
    serializedChanges.set(change, text);
  }
  return text;
}

interface ChangeBatch {
  key: string;
  appId: string;
  scope: string;
  collection: string;
  changes: unknown[];
}

/** Reads a data change message without a schema: these come from the relay itself, already valid. */
function changeBatchOf(data: unknown): ChangeBatch | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  const { appId, scope, collection } = message;
  if (typeof appId !== 'string' || typeof scope !== 'string' || typeof collection !== 'string') return null;
  let changes: unknown[];
  if (message.type === 'data.changed' && message.change !== undefined) changes = [message.change];
  else if (message.type === 'data.changes' && Array.isArray(message.changes)) changes = message.changes;
  else return null;
  return { key: `${appId}\n${scope}\n${collection}`, appId, scope, collection, changes };
}

interface Group<Source> {
  batch: ChangeBatch;
  /** The original message of a group of one, sent unchanged. */
  only: unknown;
  changes: unknown[];
  changeTexts: string[];
  bytes: number;
  sources: Source[];
}

/** Coalesces `entries` (in queue order) into frames; `sources` of each frame keep that order. */
export function coalesceFrames<Source>(
  entries: readonly { data: unknown; source: Source }[],
  limits: { maxChanges: number; maxBytes: number } = { maxChanges: maxChangesPerFrame, maxBytes: maxCoalescedFrameBytes },
): CoalescedFrame<Source>[] {
  const frames: CoalescedFrame<Source>[] = [];
  let group: Group<Source> | null = null;
  const close = () => {
    if (group) frames.push(frameOf(group));
    group = null;
  };
  for (const { data, source } of entries) {
    const batch = changeBatchOf(data);
    if (!batch) {
      close();
      frames.push({ data, text: JSON.stringify(data), sources: [source] });
      continue;
    }
    const texts = batch.changes.map(serializeChange);
    const bytes = texts.reduce((sum, text) => sum + text.length + 1, 0);
    const current: Group<Source> | null = group;
    if (
      current !== null &&
      current.batch.key === batch.key &&
      current.changeTexts.length + texts.length <= limits.maxChanges &&
      current.bytes + bytes <= limits.maxBytes
    ) {
      current.changes.push(...batch.changes);
      current.changeTexts.push(...texts);
      current.bytes += bytes;
      current.sources.push(source);
      current.only = undefined;
      continue;
    }
    close();
    group = { batch, only: data, changes: [...batch.changes], changeTexts: texts, bytes, sources: [source] };
  }
  close();
  return frames;
}

function frameOf<Source>(group: Group<Source>): CoalescedFrame<Source> {
  const { appId, scope, collection } = group.batch;
  // The changes are already serialized (for the size limit): the frame is assembled around them.
  if (group.sources.length === 1 && group.changes.length === 1 && (group.only as { type?: unknown }).type === 'data.changed') {
    const head = JSON.stringify({ type: 'data.changed', appId, scope, collection }).slice(0, -1);
    return { data: group.only, text: `${head},"change":${group.changeTexts[0] ?? 'null'}}`, sources: group.sources };
  }
  if (group.sources.length === 1) return { data: group.only, text: JSON.stringify(group.only), sources: group.sources };
  const data = { type: 'data.changes', appId, scope, collection, changes: group.changes };
  const head = JSON.stringify({ type: 'data.changes', appId, scope, collection }).slice(0, -1);
  return { data, text: `${head},"changes":[${group.changeTexts.join(',')}]}`, sources: group.sources };
}
