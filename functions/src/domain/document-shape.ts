import { ValidationError } from './errors';

/**
 * Field names that reach JavaScript's object machinery instead of data: `__proto__` is dropped
 * or turned into a prototype by parsers and schema libraries, and a filter on any of them could
 * match every document through the prototype chain. Hangar refuses them everywhere.
 */
export const forbiddenFieldNames: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

interface Pending {
  value: unknown;
  depth: number;
  path: string;
}

function fieldNameProblem(key: string): string | null {
  if (forbiddenFieldNames.has(key)) return `"${key}" is not allowed as a field name: it is reserved by JavaScript.`;
  if (key.startsWith('$') || key.includes('.') || key === '' || key.length > 200)
    return `"${key.slice(0, 40)}" is not a valid field name (no leading $, no dots).`;
  return null;
}

/**
 * Checks the shape of a parsed JSON value without recursion, so that a value nested thousands of
 * levels deep is refused with a 400 before anything recursive (JSON.stringify, hashing, schema
 * libraries, the store) touches it. Also refuses unsafe field names and non-finite numbers.
 */
export function checkDocumentShape(root: unknown, maxDepth: number): void {
  const stack: Pending[] = [{ value: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as Pending;
    if (depth > maxDepth) throw new ValidationError(`The document is nested deeper than ${maxDepth} levels (at ${path || 'the root'}).`);
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, depth: depth + 1, path: `${path}[${index}]` }));
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        const problem = fieldNameProblem(key);
        if (problem) throw new ValidationError(problem);
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: path ? `${path}.${key}` : key });
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ValidationError(`${path} is not a finite number.`);
    }
  }
}
