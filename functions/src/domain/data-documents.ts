import { dataLimits } from '@hangar/protocol';
import { checkDocumentShape } from './document-shape';
import { BadRequestError, PayloadTooLargeError, ValidationError } from './errors';

const reserved = new Set(['_id', '_createdAt', '_updatedAt']);

/**
 * Checks a client document: a plain JSON object under the size cap, nested at most
 * `maxDepth`, with keys that are not operators (`$…`), contain no dots, are not `__proto__`,
 * `constructor` or `prototype`, and do not set the reserved `_createdAt`/`_updatedAt` fields.
 */
export function validateDocumentFields(fields: unknown): Record<string, unknown> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new ValidationError('A document is a JSON object.');
  // The shape check is iterative and runs first: JSON.stringify of a 5,000-level value overflows the stack.
  checkDocumentShape(fields, dataLimits.maxDepth);
  const size = new TextEncoder().encode(JSON.stringify(fields)).byteLength;
  if (size > dataLimits.maxDocumentBytes) throw new PayloadTooLargeError(dataLimits.maxDocumentBytes);
  for (const key of Object.keys(fields)) {
    if (key !== '_id' && reserved.has(key)) throw new BadRequestError(`${key} is set by Hangar.`);
  }
  return fields as Record<string, unknown>;
}

/** Top-level field names that differ between two versions of a document. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((key) => !reserved.has(key) && JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key])).sort();
}
