import type { Sort, StoredDocument } from '../ports/document-store';
import { InvalidCursorError } from '../ports/document-store';

/**
 * Keyset pagination for the MongoDB adapter: the cursor carries the last item's sort values and
 * `_id`, and the next page is "everything strictly after that position" expressed as an `$or`
 * range filter, so pages stay stable while documents are inserted or deleted between requests.
 */

export type SortKeys = [string, 1 | -1][];

/** The last item's position: one value per sort key (missing fields as `null`). */
export interface KeysetPosition {
  values: unknown[];
  id: string;
}

/**
 * Sort keys with `_id` appended as the final tie-breaker (ascending unless the caller sorted by
 * `_id` itself), matching the SQLite adapter's ordering.
 */
export function sortKeysOf(sort: Sort | undefined): SortKeys {
  const entries = Object.entries(sort ?? {}).filter(([key]) => key !== '_id');
  return [...entries, ['_id', sort?._id ?? 1]];
}

const signatureOf = (sortKeys: SortKeys): string => sortKeys.map(([path, direction]) => `${path}:${direction}`).join(',');

/** Reads a dotted path the way MongoDB sorts it; missing becomes `null` (Mongo sorts them equally). */
export function sortValueAt(document: unknown, path: string): unknown {
  let node: unknown = document;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return node ?? null;
}

/** The keyset position of a document under the given sort keys. */
export function positionOf(sortKeys: SortKeys, document: StoredDocument): KeysetPosition {
  const values = sortKeys.filter(([path]) => path !== '_id').map(([path]) => sortValueAt(document, path));
  return { values, id: document._id };
}

/** Encodes a position as an opaque base64url JSON cursor tied to the sort keys. */
export function encodeKeysetCursor(sortKeys: SortKeys, position: KeysetPosition): string {
  const payload = { k: signatureOf(sortKeys), v: position.values, i: position.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Decodes a cursor made for the same sort keys; throws `InvalidCursorError` otherwise. */
export function decodeKeysetCursor(sortKeys: SortKeys, cursor: string): KeysetPosition {
  if (cursor.length === 0 || cursor.length > 16_384 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError('cursor is not readable');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not readable');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidCursorError('cursor is not readable');
  const { k, v, i } = parsed as { k?: unknown; v?: unknown; i?: unknown };
  const expectedValues = sortKeys.filter(([path]) => path !== '_id').length;
  if (k !== signatureOf(sortKeys) || !Array.isArray(v) || v.length !== expectedValues || typeof i !== 'string') {
    throw new InvalidCursorError('cursor belongs to another query');
  }
  return { values: v as unknown[], id: i };
}

/**
 * MongoDB compares values of different types by a fixed type order (null/missing, numbers,
 * strings, objects, arrays, booleans, ...) and `$gt`/`$lt` only match within one type, so
 * "after v" is "after v within its type" or "any type that sorts after v's type".
 */
const typeOrder = ['null', 'number', 'string', 'object', 'array', 'bool', 'date'] as const;
type TypeName = (typeof typeOrder)[number];

function typeNameOf(value: unknown): TypeName {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

type Condition = Record<string, unknown>;

const anyOf = (conditions: Condition[]): Condition | null =>
  conditions.length === 0 ? null : conditions.length === 1 ? (conditions[0] as Condition) : { $or: conditions };

/** Matches documents whose `path` sorts strictly after `value` in `direction`; null when none can. */
export function afterCondition(path: string, value: unknown, direction: 1 | -1): Condition | null {
  // `_id` is always a string, so no other type can sort around it.
  if (path === '_id') return { _id: { [direction === 1 ? '$gt' : '$lt']: value } };
  const type = typeNameOf(value);
  const rank = typeOrder.indexOf(type);
  if (direction === 1) {
    // Everything that is not null/missing sorts after null.
    if (type === 'null') return { [path]: { $ne: null } };
    const laterTypes = typeOrder.slice(rank + 1);
    const conditions: Condition[] = [{ [path]: { $gt: value } }];
    if (laterTypes.length > 0) conditions.push({ [path]: { $type: [...laterTypes] } });
    return anyOf(conditions);
  }
  if (type === 'null') return null;
  const earlierTypes = typeOrder.slice(1, rank);
  const conditions: Condition[] = [{ [path]: { $lt: value } }];
  if (earlierTypes.length > 0) conditions.push({ [path]: { $type: [...earlierTypes] } });
  conditions.push({ [path]: { $eq: null } });
  return anyOf(conditions);
}

/**
 * The filter for "documents strictly after `position`" under `sortKeys`:
 * `{ $or: [ after(k1), { k1 = v1, after(k2) }, ..., { k1 = v1, ..., after(_id) } ] }`.
 */
export function keysetFilter(sortKeys: SortKeys, position: KeysetPosition): Condition {
  const branches: Condition[] = [];
  const equalities: Condition[] = [];
  let valueIndex = 0;
  for (const [path, direction] of sortKeys) {
    const value = path === '_id' ? position.id : position.values[valueIndex++];
    const after = afterCondition(path, value, direction);
    if (after) branches.push(equalities.length === 0 ? after : { $and: [...equalities, after] });
    // `$eq: null` also matches missing fields, which sort equal to null.
    equalities.push({ [path]: { $eq: value } });
    if (path === '_id') break;
  }
  return { $or: branches };
}
