/** Keys whose values never enter the audit log. */
const sensitiveKey = /secret|token|password|passwd|cookie|authorization|api[-_]?key|credential|session|prompt|body|private[-_]?key/i;

/** Strings longer than this are stored as a hash, not a value. */
export const maxAuditValueLength = 200;
const maxDepth = 5;
const maxKeys = 50;

/** Two lowercase hex digits of every byte value. */
const hexOfByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += hexOfByte[byte] ?? '';
  return hex;
}

/** Stable hash of any JSON value, for before/after comparisons without storing values. */
export async function hashValue(value: unknown): Promise<string> {
  return `sha256:${await sha256(JSON.stringify(value) ?? 'undefined')}`;
}

/**
 * Redacts audit metadata: sensitive keys become `[redacted]`, long strings become their
 * sha256, deep or wide structures are truncated. The input is not modified.
 */
export async function redactMetadata(value: unknown): Promise<unknown> {
  if (typeof value === 'string') return value.length > maxAuditValueLength ? hashValue(value) : value;
  // One synchronous pass; only long strings wait for a hash (most audit metadata has none).
  const hashes: Promise<void>[] = [];
  const result = redactWithin(value, 0, hashes);
  if (hashes.length > 0) await Promise.all(hashes);
  return result;
}

/** Redacts `value` below the top level; each long string is set to its hash once `hashes` settle. */
function redactWithin(value: unknown, depth: number, hashes: Promise<void>[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxDepth) return '[truncated]';
  const redactItem = (item: unknown, place: (hash: string) => void): unknown => {
    if (typeof item !== 'string') return redactWithin(item, depth + 1, hashes);
    if (item.length <= maxAuditValueLength) return item;
    hashes.push(hashValue(item).then(place));
    return '';
  };
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    value.slice(0, maxKeys).forEach((item, index) => {
      items[index] = redactItem(item, (hash) => (items[index] = hash));
    });
    if (value.length > maxKeys) items.push(`[${value.length - maxKeys} more]`);
    return items;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, maxKeys)) {
    result[key] = sensitiveKey.test(key) ? '[redacted]' : redactItem(item, (hash) => (result[key] = hash));
  }
  return result;
}
