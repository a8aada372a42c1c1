/**
 * Turns a run of messages queued for ONE connection into as few WebSocket frames as the protocol
 * allows: adjacent `data.changed` / `data.changes` messages of the same (app, scope, collection)
 * become one `data.changes` frame; everything else goes out as it was, in the same order.
 * Shared by the in-process pusher and the bounded fan-out of the relay Lambda.
 */

import { limits } from '@hangar/protocol';

/** The protocol's cap on changes in one `data.changes` frame. */
export const maxChangesPerFrame = 500;
/**
 * API Gateway's WebSocket frame size, in UTF-8 bytes. No data frame is larger: changes are
 * grouped under it, and a single change that cannot fit goes out as a `data.reload` notice.
 * THE one place the limit is applied; both pushers and the relay's fan-out encode through here.
 */
export const maxFrameBytes = limits.maxServerFrameBytes;

/** Bytes of `text` on the wire (UTF-8), not its length in UTF-16 code units. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** One frame to send, and the queued entries it carries (each is answered by the frame's outcome). */
export interface CoalescedFrame<Source> {
  /** The frame as a message (what a pusher's `post` takes). */
  data: unknown;
  /** The same frame serialized (what a socket sends). */
  text: string;
  /**
   * `text` as UTF-8 bytes, when the frame is one whole message that may go to many connections
   * (shared by all of them: a socket can send it without encoding the text again).
   */
  encoded?: Buffer;
  /**
   * The entries this frame completes. An entry whose changes span several frames (a batch over
   * the byte limit) is listed once, with the frame carrying its last change.
   */
  sources: Source[];
}

interface SerializedChange {
  text: string;
  bytes: number;
}

/**
 * The JSON of each change object, kept while the object lives: the relay posts the SAME change
 * object to every subscriber, so it is serialized once per change, not once per connection.
 * (Messages handed to a pusher are not mutated afterwards; the relay never does.)
 */
const serializedChanges = new WeakMap<object, SerializedChange>();

function serializeChange(change: unknown): SerializedChange {
  if (typeof change !== 'object' || change === null) {
    const text = JSON.stringify(change);
    return { text, bytes: utf8Bytes(text) };
  }
  let serialized = serializedChanges.get(change);
  if (serialized === undefined) {
    const text = JSON.stringify(change);
    serialized = { text, bytes: utf8Bytes(text) };
    serializedChanges.set(change, serialized);
  }
  return serialized;
}

interface ChangeBatch {
  key: string;
  appId: string;
  scope: string;
  collection: string;
  /** `data.changes` head up to and including `[`, and its byte length plus the closing `]}`. */
  head: string;
  envelopeBytes: number;
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
  if (changes.length === 0) return null;
  const head = `${JSON.stringify({ type: 'data.changes', appId, scope, collection }).slice(0, -1)},"changes":[`;
  return { key: `${appId}\n${scope}\n${collection}`, appId, scope, collection, head, envelopeBytes: utf8Bytes(head) + 2, changes };
}

interface Group<Source> {
  batch: ChangeBatch;
  /** The original message, while the group is exactly that one whole message (sent unchanged). */
  only: unknown;
  changes: unknown[];
  changeTexts: string[];
  bytes: number;
  sources: Source[];
}

/** The `data.reload` notice that stands in for a change too large for one frame. */
function reloadNotice(batch: ChangeBatch, change: unknown): unknown {
  const { operation, documentId, epoch, seq } = change as Record<string, unknown>;
  return {
    type: 'data.reload',
    appId: batch.appId,
    scope: batch.scope,
    collection: batch.collection,
    change: { operation, documentId, epoch, seq },
  };
}

/**
 * The frame of a message sent on its own, kept while the message lives: the relay hands the
 * SAME message object to every subscriber that has nothing else queued, so the frame is
 * assembled and encoded once per change, not once per connection.
 */
const wholeFrames = new WeakMap<object, { text: string; encoded: Buffer }>();

/**
 * Coalesces `entries` (in queue order) into frames of at most `maxBytes` UTF-8 bytes and
 * `maxChanges` changes. A change that alone would exceed `maxBytes` becomes a `data.reload`
 * notice in its place (same sequence number); other messages pass through unchanged.
 */
export function coalesceFrames<Source>(
  entries: readonly { data: unknown; source: Source }[],
  frameLimits?: { maxChanges: number; maxBytes: number },
): CoalescedFrame<Source>[] {
  const single = entries.length === 1 && frameLimits === undefined ? entries[0] : undefined;
  if (single === undefined || typeof single.data !== 'object' || single.data === null) return coalesce(entries, frameLimits);
  const cached = wholeFrames.get(single.data);
  if (cached) return [{ data: single.data, text: cached.text, encoded: cached.encoded, sources: [single.source] }];
  const frames = coalesce(entries, frameLimits);
  const [frame] = frames;
  // Only a data change that went out unchanged as one frame (not split, not replaced) is remembered.
  if (frames.length === 1 && frame?.data === single.data && (single.data as { type?: unknown }).type === 'data.changed') {
    const whole = { text: frame.text, encoded: Buffer.from(frame.text, 'utf8') };
    wholeFrames.set(single.data, whole);
    frame.encoded = whole.encoded;
  }
  return frames;
}

function coalesce<Source>(
  entries: readonly { data: unknown; source: Source }[],
  frameLimits: { maxChanges: number; maxBytes: number } = { maxChanges: maxChangesPerFrame, maxBytes: maxFrameBytes },
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
    const serialized = batch.changes.map(serializeChange);
    const whole = serialized.reduce((sum, change) => sum + change.bytes + 1, 0) - 1;
    const current: Group<Source> | null = group;
    // The usual case first: the whole message joins the open group (or starts one) as it is.
    if (current !== null && current.batch.key === batch.key && fits(current, serialized.length, whole + 1, frameLimits)) {
      append(current, batch.changes, serialized, whole + 1, [source]);
      continue;
    }
    if (serialized.length <= frameLimits.maxChanges && batch.envelopeBytes + whole <= frameLimits.maxBytes) {
      close();
      group = {
        batch,
        only: data,
        changes: [...batch.changes],
        changeTexts: serialized.map((change) => change.text),
        bytes: batch.envelopeBytes + whole,
        sources: [source],
      };
      continue;
    }
    // Too large as one frame: change by change, splitting frames and replacing oversized changes.
    serialized.forEach((change, index) => {
      const last = index === serialized.length - 1;
      const value = batch.changes[index];
      if (batch.envelopeBytes + change.bytes > frameLimits.maxBytes) {
        close();
        const notice = reloadNotice(batch, value);
        frames.push({ data: notice, text: JSON.stringify(notice), sources: last ? [source] : [] });
        return;
      }
      const open: Group<Source> | null = group;
      if (open !== null && open.batch.key === batch.key && fits(open, 1, change.bytes + 1, frameLimits)) {
        append(open, [value], [change], change.bytes + 1, last ? [source] : []);
        return;
      }
      close();
      group = {
        batch,
        only: undefined,
        changes: [value],
        changeTexts: [change.text],
        bytes: batch.envelopeBytes + change.bytes,
        sources: last ? [source] : [],
      };
    });
  }
  close();
  return frames;
}

function fits<Source>(group: Group<Source>, count: number, bytes: number, frameLimits: { maxChanges: number; maxBytes: number }): boolean {
  return group.changes.length + count <= frameLimits.maxChanges && group.bytes + bytes <= frameLimits.maxBytes;
}

function append<Source>(group: Group<Source>, changes: unknown[], serialized: SerializedChange[], bytes: number, sources: Source[]): void {
  group.changes.push(...changes);
  group.changeTexts.push(...serialized.map((change) => change.text));
  group.bytes += bytes;
  group.sources.push(...sources);
  group.only = undefined;
}

function frameOf<Source>(group: Group<Source>): CoalescedFrame<Source> {
  const { appId, scope, collection } = group.batch;
  // The changes are already serialized (for the size limit): the frame is assembled around them.
  const only = group.only as { type?: unknown } | undefined;
  if (only !== undefined && group.changes.length === 1 && only.type === 'data.changed') {
    const head = JSON.stringify({ type: 'data.changed', appId, scope, collection }).slice(0, -1);
    return { data: only, text: `${head},"change":${group.changeTexts[0] ?? 'null'}}`, sources: group.sources };
  }
  const data = only ?? { type: 'data.changes', appId, scope, collection, changes: group.changes };
  return { data, text: `${group.batch.head}${group.changeTexts.join(',')}]}`, sources: group.sources };
}
