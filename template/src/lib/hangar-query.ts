import { HangarError } from './hangar-error';

/**
 * Evaluates the SDK's safe Mongo-style filter subset against plain JSON documents. The server
 * evaluates the same subset, so the in-memory store and the live store agree on what matches.
 */

const reservedPathSegments: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const fieldOperators = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a dotted path (`'author.name'`) from a document; undefined when any step is missing. */
export function readPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const key of path.split('.')) {
    // Own fields only: `constructor` or `__proto__` must never reach Object.prototype.
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Refuses a filter or sort path through a field name JavaScript reserves (`__proto__`, `constructor`, `prototype`). */
export function assertSafePath(path: string, what: 'filter' | 'sort'): void {
  const reserved = path.split('.').find((segment) => reservedPathSegments.has(segment));
  if (reserved) throw new HangarError('invalid_query', `"${reserved}" is reserved by JavaScript and cannot be used in a ${what}.`);
}

/** Structural equality of JSON values. */
export function isEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => isEqual(item, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const leftKeys = Object.keys(left);
    return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => key in right && isEqual(left[key], right[key]));
  }
  return false;
}

/** Sort rank of each JSON type, so mixed-type fields order deterministically (missing and null first). */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 4;
  return 3;
}

/** Orders two JSON values: negative when `left` sorts first. */
export function compareValues(left: unknown, right: unknown): number {
  const rankDifference = typeRank(left) - typeRank(right);
  if (rankDifference !== 0) return rankDifference;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  return 0;
}

/** Whether a field value equals `expected`, or — for array fields — contains it (Mongo semantics). */
function matchesValue(value: unknown, expected: unknown): boolean {
  if (isEqual(value, expected)) return true;
  return Array.isArray(value) && value.some((item) => isEqual(item, expected));
}

/** Range operators compare only values of the same type, as MongoDB does. */
function compareSameType(value: unknown, bound: unknown, accept: (order: number) => boolean): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return candidates.some(
    (candidate) => typeRank(candidate) === typeRank(bound) && typeRank(bound) !== 0 && accept(compareValues(candidate, bound)),
  );
}

function asList(operator: string, operand: unknown): unknown[] {
  if (!Array.isArray(operand)) throw new HangarError('invalid_query', `${operator} needs an array.`);
  return operand;
}

function matchesOperator(value: unknown, operator: string, operand: unknown): boolean {
  switch (operator) {
    case '$eq':
      return matchesValue(value, operand);
    case '$ne':
      return !matchesValue(value, operand);
    case '$gt':
      return compareSameType(value, operand, (order) => order > 0);
    case '$gte':
      return compareSameType(value, operand, (order) => order >= 0);
    case '$lt':
      return compareSameType(value, operand, (order) => order < 0);
    case '$lte':
      return compareSameType(value, operand, (order) => order <= 0);
    case '$in':
      return asList(operator, operand).some((candidate) => matchesValue(value, candidate));
    case '$nin':
      return !asList(operator, operand).some((candidate) => matchesValue(value, candidate));
    case '$exists':
      if (typeof operand !== 'boolean') throw new HangarError('invalid_query', '$exists needs true or false.');
      return (value !== undefined) === operand;
    default:
      throw new HangarError('invalid_query', `Unsupported filter operator ${operator}.`);
  }
}

function matchesCondition(value: unknown, condition: unknown): boolean {
  if (!isPlainObject(condition)) return matchesValue(value, condition);
  const keys = Object.keys(condition);
  const operatorKeys = keys.filter((key) => key.startsWith('$'));
  // An object without operators is matched by equality, like `{ address: { city: 'Oslo' } }`.
  if (operatorKeys.length === 0) return matchesValue(value, condition);
  if (operatorKeys.length !== keys.length)
    throw new HangarError('invalid_query', 'Do not mix operators and plain fields in one condition.');
  for (const key of keys) if (!fieldOperators.has(key)) throw new HangarError('invalid_query', `Unsupported filter operator ${key}.`);
  return keys.every((key) => matchesOperator(value, key, condition[key]));
}

function subFilters(operator: string, operand: unknown): unknown[] {
  if (!Array.isArray(operand) || operand.length === 0)
    throw new HangarError('invalid_query', `${operator} needs a non-empty array of filters.`);
  return operand;
}

/**
 * Checks a filter is inside the safe subset without evaluating it, so a bad filter fails before any
 * request instead of on some later document; throws `invalid_query`.
 */
export function validateFilter(filter: unknown): void {
  if (filter === undefined || filter === null) return;
  if (!isPlainObject(filter)) throw new HangarError('invalid_query', 'A filter must be an object.');
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      for (const part of subFilters(key, condition)) validateFilter(part);
    } else if (key.startsWith('$')) {
      throw new HangarError('invalid_query', `Unsupported filter operator ${key}.`);
    } else {
      assertSafePath(key, 'filter');
      if (isPlainObject(condition) && Object.keys(condition).some((operator) => operator.startsWith('$'))) {
        // Evaluating against a missing value exercises every operator's checks (operators, operand types, no mixing).
        for (const operator of Object.keys(condition)) matchesCondition(undefined, { [operator]: condition[operator] });
        matchesCondition(undefined, condition);
      }
    }
  }
}

/** Whether a document matches a filter; throws `invalid_query` for anything outside the safe subset. */
export function matchesFilter(document: unknown, filter: unknown): boolean {
  if (filter === undefined || filter === null) return true;
  if (!isPlainObject(filter)) throw new HangarError('invalid_query', 'A filter must be an object.');
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return subFilters(key, condition).every((part) => matchesFilter(document, part));
    if (key === '$or') return subFilters(key, condition).some((part) => matchesFilter(document, part));
    if (key.startsWith('$')) throw new HangarError('invalid_query', `Unsupported filter operator ${key}.`);
    return matchesCondition(readPath(document, key), condition);
  });
}

type SortKey = { path: string; direction: 1 | -1 };

function sortKeys(sort: unknown): SortKey[] {
  if (sort === undefined || sort === null) return [];
  if (!isPlainObject(sort)) throw new HangarError('invalid_query', 'A sort must be an object like { createdAt: -1 }.');
  return Object.entries(sort).map(([path, direction]) => {
    assertSafePath(path, 'sort');
    if (direction !== 1 && direction !== -1) throw new HangarError('invalid_query', `Sort direction for "${path}" must be 1 or -1.`);
    return { path, direction };
  });
}

function compareByKeys(left: unknown, right: unknown, keys: SortKey[]): number {
  for (const { path, direction } of keys) {
    const order = compareValues(readPath(left, path), readPath(right, path));
    if (order !== 0) return order * direction;
  }
  return 0;
}

/** Whether a sort orders anything (`undefined` and `{}` keep the server's / insertion order). */
export function hasSortKeys(sort: unknown): boolean {
  return sortKeys(sort).length > 0;
}

/** Orders two documents by a Mongo-style sort: negative when `left` comes first, 0 for ties. */
export function compareDocuments(left: unknown, right: unknown, sort: unknown): number {
  return compareByKeys(left, right, sortKeys(sort));
}

/** Orders documents by a Mongo-style sort (`{ createdAt: -1, title: 1 }`); keeps insertion order for ties. */
export function sortDocuments<D>(documents: D[], sort: unknown): D[] {
  const keys = sortKeys(sort);
  if (keys.length === 0) return documents;
  return [...documents].sort((left, right) => compareByKeys(left, right, keys));
}
