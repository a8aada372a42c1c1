import type { Filter } from '../../ports/document-store';

/**
 * Compiles the parts of a Mongo-style filter that SQLite can answer from (expression) indexes
 * into a WHERE clause that selects a SUPERSET of the matching documents. The exact filter is
 * always re-checked with mingo afterwards, so anything not pushed down stays correct.
 *
 * Mongo's equality also matches array elements, and dotted paths traverse arrays; SQL's
 * `json_extract` does neither. So a path is pushed down only when no prefix of it has ever held
 * an array in this collection (`arrayPaths`, maintained on every write), and a path that has
 * itself held an array gets an `OR json_type(...) = 'array'` guard.
 */
export interface SqlClause {
  sql: string;
  params: SqlValue[];
  /**
   * True when the clause selects EXACTLY the matching documents (so a count needs no re-check):
   * only string/number equalities on paths that never held an array, each with a type guard.
   */
  exact: boolean;
}
export type SqlValue = string | number | null;

const safeKey = /^[A-Za-z0-9_-]+$/;

/** The SQL expression for a document path; shared with index creation so indexes match. */
export function pathExpression(path: string): string | null {
  if (path === '_id') return 'id';
  const parts = path.split('.');
  if (!parts.every((part) => safeKey.test(part))) return null;
  return `json_extract(doc, '$.${parts.map((part) => `"${part}"`).join('.')}')`;
}

function jsonPath(path: string): string {
  return `$.${path
    .split('.')
    .map((part) => `"${part}"`)
    .join('.')}`;
}

function toSqlScalar(value: unknown): SqlValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** Compiles a filter to a WHERE clause selecting a superset of its matches (exactly them when `exact`). */
export function compileFilter(filter: Filter, arrayPaths: ReadonlySet<string>): SqlClause {
  const clauses: SqlClause[] = [];
  let exact = true;
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const part of condition) {
        const clause = compileFilter(part as Filter, arrayPaths);
        clauses.push(clause);
        exact &&= clause.exact;
      }
    } else if (key === '$or' && Array.isArray(condition) && condition.length > 0) {
      const branches = condition.map((part) => compileFilter(part as Filter, arrayPaths));
      exact = false;
      if (branches.every((branch) => branch.sql !== '1')) {
        clauses.push({ sql: `(${branches.map((b) => b.sql).join(' OR ')})`, params: branches.flatMap((b) => b.params), exact: false });
      }
    } else if (!key.startsWith('$')) {
      const clause = compileField(key, condition, arrayPaths);
      if (clause) clauses.push(clause);
      exact &&= clause?.exact ?? false;
    } else {
      exact = false;
    }
  }
  const useful = clauses.filter((clause) => clause.sql !== '1');
  if (useful.length === 0) return { sql: '1', params: [], exact };
  return { sql: useful.map((c) => c.sql).join(' AND '), params: useful.flatMap((c) => c.params), exact };
}

/** The JSON type guard that makes an equality exact: `json_extract` alone also matches an object's text. */
function exactEquality(path: string, expression: string, value: unknown): SqlClause | null {
  if (path === '_id') return typeof value === 'string' ? { sql: 'id = ?', params: [value], exact: true } : null;
  if (typeof value === 'string')
    return { sql: `(${expression} = ? AND json_type(doc, '${jsonPath(path)}') = 'text')`, params: [value], exact: true };
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { sql: `(${expression} = ? AND json_type(doc, '${jsonPath(path)}') IN ('integer', 'real'))`, params: [value], exact: true };
  }
  return null;
}

function compileField(path: string, condition: unknown, arrayPaths: ReadonlySet<string>): SqlClause | null {
  const expression = pathExpression(path);
  if (!expression) return null;
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) if (arrayPaths.has(parts.slice(0, i).join('.'))) return null;
  const guard = path !== '_id' && arrayPaths.has(path) ? ` OR json_type(doc, '${jsonPath(path)}') = 'array'` : '';
  const wrap = (sql: string, params: SqlValue[]): SqlClause =>
    guard ? { sql: `(${sql}${guard})`, params, exact: false } : { sql, params, exact: false };

  if (!guard) {
    const exact = exactEquality(path, expression, condition);
    if (exact) return exact;
  }
  const scalar = toSqlScalar(condition);
  if (scalar !== undefined) return wrap(`${expression} = ?`, [scalar]);
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return null;

  const parts2: SqlClause[] = [];
  for (const [operator, operand] of Object.entries(condition as Record<string, unknown>)) {
    const value = toSqlScalar(operand);
    switch (operator) {
      case '$eq':
        if (value !== undefined) parts2.push(wrap(`${expression} = ?`, [value]));
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        // Only numbers and strings: SQLite orders numbers before text, so each comparison
        // selects a superset of Mongo's type-bracketed match.
        if (typeof operand !== 'number' && typeof operand !== 'string') break;
        const sqlOperator = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator];
        parts2.push(wrap(`${expression} ${sqlOperator} ?`, [operand]));
        break;
      }
      case '$in': {
        if (!Array.isArray(operand) || operand.length === 0 || operand.length > 500) break;
        const values = operand.map(toSqlScalar);
        if (values.some((v) => v === undefined)) break;
        parts2.push(wrap(`${expression} IN (${values.map(() => '?').join(', ')})`, values as SqlValue[]));
        break;
      }
      default:
        break;
    }
  }
  if (parts2.length === 0) return null;
  return { sql: parts2.map((p) => p.sql).join(' AND '), params: parts2.flatMap((p) => p.params), exact: false };
}

/**
 * The paths in a document whose value is an array (arrays are not descended into) and that are
 * not in `known`, or null when there are none: the common case on every write, so it allocates
 * nothing then.
 */
export function unseenArrayPaths(
  document: unknown,
  known: ReadonlySet<string>,
  prefix = '',
  into: string[] | null = null,
): string[] | null {
  if (typeof document !== 'object' || document === null) return into;
  const fields = document as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value !== 'object' || value === null) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (!Array.isArray(value)) into = unseenArrayPaths(value, known, path, into);
    else if (!known.has(path)) (into ??= []).push(path);
  }
  return into;
}
