import type { Sort, StoredDocument } from '../ports/document-store';
import { InvalidCursorError } from '../ports/document-store';

/** MongoDB's BSON type order for comparisons across types. */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (typeof value === 'object') return 4;
  if (typeof value === 'boolean') return 8;
  return 10;
}

/** Compares two JSON values the way MongoDB sorts them (type order first, then value). */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (rankA === 1) return 0;
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

/** Reads a dotted path; undefined when any step is missing or not an object. */
export function valueAtPath(document: unknown, path: string): unknown {
  let node: unknown = document;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Sort keys with `_id` appended as the final tie-breaker. */
export function normalizeSort(sort: Sort | undefined): [string, 1 | -1][] {
  const entries = Object.entries(sort ?? {}).filter(([key]) => key !== '_id');
  const idDirection = sort?._id ?? 1;
  return [...entries, ['_id', idDirection]];
}

export function compareDocuments(sortKeys: [string, 1 | -1][], a: StoredDocument, b: StoredDocument): number {
  for (const [path, direction] of sortKeys) {
    const order = compareValues(valueAtPath(a, path), valueAtPath(b, path));
    if (order !== 0) return order * direction;
  }
  return 0;
}

/** The sort position of a document, as stored in a cursor. */
export type CursorPosition = unknown[];

export function positionOf(sortKeys: [string, 1 | -1][], document: StoredDocument): CursorPosition {
  return sortKeys.map(([path]) => valueAtPath(document, path) ?? null);
}

/** Compares a document with a cursor position: > 0 when the document comes after it. */
export function compareWithPosition(sortKeys: [string, 1 | -1][], document: StoredDocument, position: CursorPosition): number {
  for (let i = 0; i < sortKeys.length; i++) {
    const [path, direction] = sortKeys[i] as [string, 1 | -1];
    const order = compareValues(valueAtPath(document, path) ?? null, position[i]);
    if (order !== 0) return order * direction;
  }
  return 0;
}

/** Encodes the sort keys and the last position into an opaque url-safe cursor. */
export function encodeCursor(sortKeys: [string, 1 | -1][], position: CursorPosition): string {
  const keys = sortKeys.map(([path, direction]) => `${path}:${direction}`).join(',');
  return Buffer.from(JSON.stringify({ k: keys, p: position }), 'utf8').toString('base64url');
}

/** Decodes a cursor made for the same sort; throws `InvalidCursorError` otherwise. */
export function decodeCursor(sortKeys: [string, 1 | -1][], cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not readable');
  }
  const keys = sortKeys.map(([path, direction]) => `${path}:${direction}`).join(',');
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError('cursor is not readable');
  const { k, p } = parsed as { k?: unknown; p?: unknown };
  if (k !== keys || !Array.isArray(p) || p.length !== sortKeys.length) throw new InvalidCursorError('cursor belongs to another query');
  return p;
}
