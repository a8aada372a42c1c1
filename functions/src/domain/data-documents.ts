import { dataLimits } from '@hangar/protocol';
import { BadRequestError, PayloadTooLargeError, ValidationError } from './errors';

const reserved = new Set(['_id', '_createdAt', '_updatedAt']);

/**
 * Checks a client document: a plain JSON object under the size cap, nested at most
 * `maxDepth`, with keys that are not operators (`$…`), contain no dots, and do not set the
 * reserved `_createdAt`/`_updatedAt` fields.
 */
export function validateDocumentFields(fields: unknown): Record<string, unknown> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new ValidationError('A document is a JSON object.');
  const size = new TextEncoder().encode(JSON.stringify(fields)).byteLength;
  if (size > dataLimits.maxDocumentBytes) throw new PayloadTooLargeError(dataLimits.maxDocumentBytes);
  const walk = (value: unknown, depth: number, path: string): void => {
    if (depth > dataLimits.maxDepth)
      throw new ValidationError(`The document is nested deeper than ${dataLimits.maxDepth} levels (at ${path || 'the root'}).`);
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, depth + 1, `${path}[${index}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.startsWith('$') || key.includes('.') || key === '' || key.length > 200) {
          throw new ValidationError(`"${key.slice(0, 40)}" is not a valid field name (no leading $, no dots).`);
        }
        walk(item, depth + 1, path ? `${path}.${key}` : key);
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ValidationError(`${path} is not a finite number.`);
    }
  };
  walk(fields, 0, '');
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
