import { internalLimits, RunEventBody, truncationMarker, type TruncatedToolInput } from '@hangar/protocol';

/** Size of a value as the JSON the sink sends, in bytes. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');

/** Text deltas are sent in pieces of at most this many characters (lossless, unlike truncation). */
export const textPieceChars = 16_000;

/** Room left for the marker under the schema's cap on text fields. */
const longestKeptString = internalLimits.maxEventTextChars - 100;
/** Below this, shortening strings further says nothing useful: the input is replaced instead. */
const shortestKeptString = 256;

const markerAtEnd = /… \[truncated by the worker: (\d+) characters in all\]$/;

/** Shortens a string to `limit` characters plus the marker; a string cut before keeps its original length. */
function cutString(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const earlier = markerAtEnd.exec(value);
  const original = earlier ? Number(earlier[1]) : value.length;
  const kept = earlier ? value.slice(0, earlier.index) : value;
  return kept.slice(0, limit) + truncationMarker(original);
}

function cutStrings(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return cutString(value, limit);
  if (Array.isArray(value)) return value.map((item: unknown) => cutStrings(item, limit));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutStrings(item, limit)]));
  }
  return value;
}

function replacedInput(input: unknown): TruncatedToolInput {
  const json = JSON.stringify(input) ?? '';
  return { truncated: true, originalBytes: Buffer.byteLength(json), preview: json.slice(0, 2000) };
}

/**
 * Makes one run event safe to send: text deltas longer than a piece are split (nothing lost);
 * any other event whose JSON is over `maxBytes` has its long strings shortened with a visible
 * marker (a tool input too large even then is replaced by a `TruncatedToolInput`), so one huge
 * tool call or output never blocks the events behind it. Answers [] for an event that still does
 * not match the wire schema (the caller logs it).
 */
export function fitRunEvent(body: RunEventBody, maxBytes: number = internalLimits.maxEventBytes): RunEventBody[] {
  if ((body.type === 'text.delta' || body.type === 'reasoning.delta') && body.text.length > textPieceChars) {
    const pieces: RunEventBody[] = [];
    for (let index = 0; index < body.text.length; index += textPieceChars) {
      pieces.push({ type: body.type, text: body.text.slice(index, index + textPieceChars) });
    }
    return pieces;
  }
  if (jsonBytes(body) <= maxBytes && RunEventBody.safeParse(body).success) return [body];
  let limit = longestKeptString;
  // Long strings first: the schema caps text fields, whatever the byte size.
  let fitted = cutStrings(body, limit);
  while (jsonBytes(fitted) > maxBytes && limit > shortestKeptString) {
    limit = Math.max(shortestKeptString, Math.floor(limit / 2));
    fitted = cutStrings(body, limit);
  }
  if (jsonBytes(fitted) > maxBytes && body.type === 'tool.started') {
    fitted = { ...body, input: replacedInput(body.input) };
  }
  const parsed = RunEventBody.safeParse(fitted);
  if (parsed.success) return [parsed.data];
  // Some fields have tighter caps (a summary, a reason): shorten to fit those too.
  const tighter = RunEventBody.safeParse(cutStrings(fitted, 1500));
  return tighter.success ? [tighter.data] : [];
}
