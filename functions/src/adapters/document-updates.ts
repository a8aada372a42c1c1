import type { StoredDocument, Update } from '../ports/document-store';

/** Thrown when an update cannot apply (e.g. `$inc` on a string, or changing `_id`). */
export class InvalidUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidUpdateError';
  }
}

const supportedOperators = new Set(['$set', '$unset', '$inc', '$push', '$addToSet']);

type Container = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Container => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep structural equality for JSON values (used by `$addToSet`). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
  }
  return false;
}

function parentOf(document: Container, path: string, create: boolean): { parent: Container; key: string } | null {
  const parts = path.split('.');
  const key = parts.pop();
  if (key === undefined || key === '' || parts.some((part) => part === '')) throw new InvalidUpdateError(`invalid field path '${path}'`);
  let node: Container = document;
  for (const part of parts) {
    const next = node[part];
    if (next === undefined && create) {
      const created: Container = {};
      node[part] = created;
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else if (next === undefined) {
      return null;
    } else {
      throw new InvalidUpdateError(`cannot traverse '${part}' in '${path}': it is not an object`);
    }
  }
  return { parent: node, key };
}

function eachValues(value: unknown): unknown[] {
  if (isPlainObject(value) && '$each' in value) {
    const each = value.$each;
    if (!Array.isArray(each)) throw new InvalidUpdateError('$each takes an array');
    return each;
  }
  return [value];
}

/** Returns a new document with the update applied; the input is not modified. */
export function applyUpdate<T extends StoredDocument>(document: T, update: Update): T {
  for (const operator of Object.keys(update)) {
    if (!supportedOperators.has(operator)) throw new InvalidUpdateError(`unsupported update operator '${operator}'`);
  }
  const result = structuredClone(document) as Container;
  const touches = (path: string) => path === '_id' || path.startsWith('_id.');
  const fieldsOf = (operator: keyof Update) => Object.entries(update[operator] ?? {});

  for (const [path, value] of fieldsOf('$set')) {
    if (touches(path)) throw new InvalidUpdateError('_id cannot be changed');
    const target = parentOf(result, path, true);
    if (target) target.parent[target.key] = structuredClone(value);
  }
  for (const [path] of fieldsOf('$unset')) {
    if (touches(path)) throw new InvalidUpdateError('_id cannot be changed');
    const target = parentOf(result, path, false);
    if (target) delete target.parent[target.key];
  }
  for (const [path, amount] of fieldsOf('$inc')) {
    if (touches(path)) throw new InvalidUpdateError('_id cannot be changed');
    if (typeof amount !== 'number' || !Number.isFinite(amount)) throw new InvalidUpdateError(`$inc of '${path}' takes a number`);
    const target = parentOf(result, path, true);
    if (!target) continue;
    const current = target.parent[target.key];
    if (current === undefined) target.parent[target.key] = amount;
    else if (typeof current === 'number') target.parent[target.key] = current + amount;
    else throw new InvalidUpdateError(`cannot $inc non-numeric field '${path}'`);
  }
  for (const operator of ['$push', '$addToSet'] as const) {
    for (const [path, value] of fieldsOf(operator)) {
      if (touches(path)) throw new InvalidUpdateError('_id cannot be changed');
      const target = parentOf(result, path, true);
      if (!target) continue;
      const current: unknown = target.parent[target.key] ?? [];
      if (!Array.isArray(current)) throw new InvalidUpdateError(`cannot ${operator} to non-array field '${path}'`);
      const next: unknown[] = [...(current as unknown[])];
      for (const item of eachValues(value)) {
        if (operator === '$push' || !next.some((existing) => jsonEqual(existing, item))) next.push(structuredClone(item));
      }
      target.parent[target.key] = next;
    }
  }
  return result as T;
}
