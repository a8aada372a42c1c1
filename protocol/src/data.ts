import { z } from 'zod';
import { Id } from './common';

/** Live app data: collections of JSON documents per app and data scope. */
export const dataLimits = {
  maxDocumentBytes: 256 * 1024,
  maxDepth: 16,
  maxFilterBytes: 8 * 1024,
  maxFilterDepth: 6,
  maxInValues: 100,
  maxSortKeys: 3,
  maxPageSize: 200,
  defaultPageSize: 50,
} as const;

export const CollectionName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'collection names are letters, digits, _ and -, starting with a letter (at most 64)');
export const DocumentId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'document ids are letters, digits, _ and - (at most 128)');

/** Draft data belongs to the app being built; published data to the published app. */
export const DataScope = z.enum(['draft', 'published']);
export type DataScope = z.infer<typeof DataScope>;

/** Field names that reach JavaScript's object machinery instead of data; refused in filters and sorts. */
const reservedFieldNames: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A field path: identifiers joined by dots, never starting with `$`. */
export const FieldPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,7}$/, 'must be a field path like "status" or "address.city"')
  .refine(
    (path) => !path.split('.').some((segment) => reservedFieldNames.has(segment)),
    '__proto__, constructor and prototype are reserved by JavaScript and cannot be field names',
  );

const Scalar = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

const FieldOperators = z.strictObject({
  $eq: Scalar.optional(),
  $ne: Scalar.optional(),
  $gt: z.union([z.string().max(4096), z.number()]).optional(),
  $gte: z.union([z.string().max(4096), z.number()]).optional(),
  $lt: z.union([z.string().max(4096), z.number()]).optional(),
  $lte: z.union([z.string().max(4096), z.number()]).optional(),
  $in: z.array(Scalar).max(dataLimits.maxInValues).optional(),
  $nin: z.array(Scalar).max(dataLimits.maxInValues).optional(),
  $exists: z.boolean().optional(),
});

/**
 * The safe Mongo-style filter subset: equality, $in/$nin, $gt/$gte/$lt/$lte, $ne, $exists,
 * $and/$or, dotted paths. Anything else ($where, $regex, $expr, …) is refused, so neither code
 * execution nor regex denial of service is possible.
 */
export type DataFilter = { [path: string]: Scalar | z.infer<typeof FieldOperators> | DataFilter[] };

export function validateDataFilter(value: unknown, depth = 0): string | null {
  if (depth > dataLimits.maxFilterDepth) return 'the filter is nested too deeply';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a filter is an object';
  for (const [key, condition] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(condition) || condition.length === 0 || condition.length > 20) return `${key} takes 1 to 20 filters`;
      for (const part of condition) {
        const problem = validateDataFilter(part, depth + 1);
        if (problem) return problem;
      }
    } else if (key.startsWith('$')) {
      return `the operator ${key} is not allowed`;
    } else if (!FieldPath.safeParse(key).success) {
      const reserved = key.split('.').find((segment) => reservedFieldNames.has(segment));
      return reserved ? `"${reserved}" is reserved by JavaScript and cannot be filtered on` : `"${key.slice(0, 40)}" is not a field path`;
    } else if (typeof condition === 'object' && condition !== null && !Array.isArray(condition)) {
      const operators = FieldOperators.safeParse(condition);
      if (!operators.success) {
        const unknown = Object.keys(condition).find((operator) => !(operator in FieldOperators.shape));
        return unknown ? `the operator ${unknown.slice(0, 20)} is not allowed` : `invalid condition on "${key}"`;
      }
    } else if (!Scalar.safeParse(condition).success) {
      return `invalid value for "${key}"`;
    }
  }
  return null;
}

export const DataFilterSchema = z
  // No check in custom itself: the refinement below says what is wrong instead of "invalid filter".
  .custom<DataFilter>()
  .superRefine((value, context) => {
    const problem = validateDataFilter(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** Checks sort keys up front: a record schema drops `__proto__` without a word and words its key errors vaguely. */
const withoutReservedKeys = z.unknown().superRefine((value, context) => {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    const reserved = key.split('.').find((segment) => reservedFieldNames.has(segment));
    if (reserved) context.addIssue({ code: 'custom', message: `"${reserved}" is reserved by JavaScript and cannot be sorted on` });
  }
});

export const DataSort = withoutReservedKeys
  .pipe(z.record(FieldPath, z.union([z.literal(1), z.literal(-1)])))
  .refine((sort) => Object.keys(sort).length <= dataLimits.maxSortKeys, `sort by at most ${dataLimits.maxSortKeys} fields`);

/** A query over one collection. */
export const DataQuery = z.strictObject({
  filter: DataFilterSchema.optional(),
  sort: DataSort.optional(),
  limit: z.number().int().min(1).max(dataLimits.maxPageSize).optional(),
  cursor: z.string().max(1024).optional(),
});
export type DataQuery = z.infer<typeof DataQuery>;

/** A stored app document: its fields plus `_id`, `_createdAt`, `_updatedAt`. */
export const AppDocument = z.looseObject({ _id: DocumentId, _createdAt: z.string(), _updatedAt: z.string() });
export type AppDocument = z.infer<typeof AppDocument>;

export const DataPage = z.strictObject({ items: z.array(AppDocument), nextCursor: z.string().nullable() });
export type DataPage = z.infer<typeof DataPage>;

/** Where a change happened: one collection of one app in one data scope. */
export const DataScopeKey = z.strictObject({ workspaceId: Id, appId: Id, scope: DataScope, collection: CollectionName });
export type DataScopeKey = z.infer<typeof DataScopeKey>;

/**
 * One change, as pushed to subscribers. `seq` increases by one per change within a scope key and
 * relay `epoch`; a client that sees a gap or a new epoch resynchronizes instead of missing writes.
 */
export const DataChange = z.strictObject({
  operation: z.enum(['insert', 'update', 'delete']),
  documentId: DocumentId,
  document: AppDocument.nullable(),
  epoch: z.string(),
  seq: z.number().int().positive(),
});
export type DataChange = z.infer<typeof DataChange>;

/** A change without its document: what a `data.reload` notice carries when the document is too large to push. */
export const DataChangeNotice = z.strictObject({
  operation: z.enum(['insert', 'update', 'delete']),
  documentId: DocumentId,
  epoch: z.string(),
  seq: z.number().int().positive(),
});
export type DataChangeNotice = z.infer<typeof DataChangeNotice>;
