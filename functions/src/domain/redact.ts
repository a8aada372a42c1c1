import { sha256Hex } from './sha256';

/** Keys whose values never enter the audit log. */
const sensitiveKey = /secret|token|password|passwd|cookie|authorization|api[-_]?key|credential|session|prompt|body|private[-_]?key/i;

/** Strings longer than this are stored as a hash, not a value. */
export const maxAuditValueLength = 200;
const maxDepth = 5;
const maxKeys = 50;

/** Stable hash of any JSON value, synchronously (see `sha256.ts`). */
function hashOf(value: unknown): string {
  return `sha256:${sha256Hex(JSON.stringify(value) ?? 'undefined')}`;
}

/** Stable hash of any JSON value, for before/after comparisons without storing values. */
export function hashValue(value: unknown): Promise<string> {
  return Promise.resolve(hashOf(value));
}

/**
 * Redacts audit metadata: sensitive keys become `[redacted]`, long strings become their
 * sha256, deep or wide structures are truncated. The input is not modified.
 */
export function redactMetadata(value: unknown): Promise<unknown> {
  return Promise.resolve(redact(value, 0));
}

function redact(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > maxAuditValueLength ? hashOf(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxDepth) return '[truncated]';
  if (Array.isArray(value)) {
    const items = value.slice(0, maxKeys).map((item: unknown) => redact(item, depth + 1));
    return value.length > maxKeys ? [...items, `[${value.length - maxKeys} more]`] : items;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, maxKeys)) {
    result[key] = sensitiveKey.test(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return result;
}
