/** Keys whose values never enter the audit log. */
const sensitiveKey = /secret|token|password|passwd|cookie|authorization|api[-_]?key|credential|session|prompt|body|private[-_]?key/i;

/** Strings longer than this are stored as a hash, not a value. */
export const maxAuditValueLength = 200;
const maxDepth = 5;
const maxKeys = 50;

async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Stable hash of any JSON value, for before/after comparisons without storing values. */
export async function hashValue(value: unknown): Promise<string> {
  return `sha256:${await sha256(JSON.stringify(value) ?? 'undefined')}`;
}

/**
 * Redacts audit metadata: sensitive keys become `[redacted]`, long strings become their
 * sha256, deep or wide structures are truncated. The input is not modified.
 */
export async function redactMetadata(value: unknown, depth = 0): Promise<unknown> {
  if (typeof value === 'string') return value.length > maxAuditValueLength ? hashValue(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxDepth) return '[truncated]';
  if (Array.isArray(value)) {
    const items = await Promise.all(value.slice(0, maxKeys).map((item) => redactMetadata(item, depth + 1)));
    return value.length > maxKeys ? [...items, `[${value.length - maxKeys} more]`] : items;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, maxKeys)) {
    result[key] = sensitiveKey.test(key) ? '[redacted]' : await redactMetadata(item, depth + 1);
  }
  return result;
}
