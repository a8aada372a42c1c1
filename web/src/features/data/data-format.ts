import { FieldPath, type AppDocument, type DataChange, type DataFilter, type DataPage } from '@hangar/protocol';

/** Fields the server maintains; they are shown but never edited. */
export const systemFields = ['_id', '_createdAt', '_updatedAt'] as const;

/** The table's columns: every top-level key of the loaded rows, `_id` first, timestamps last. */
export function columnsOf(rows: readonly AppDocument[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  const own = [...keys].filter((key) => !(systemFields as readonly string[]).includes(key));
  return ['_id', ...own, ...(keys.has('_createdAt') ? ['_createdAt'] : []), ...(keys.has('_updatedAt') ? ['_updatedAt'] : [])];
}

/** One cell's value on one short line: strings as they are, objects as compact JSON, clipped. */
export function formatCell(value: unknown, max = 80): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Whether any value of the row contains the search text (case-insensitive). */
export function matchesSearch(row: AppDocument, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return Object.values(row).some((value) => formatCell(value, Number.MAX_SAFE_INTEGER).toLowerCase().includes(needle));
}

export type ParsedFilter = { filter: DataFilter | null; error: string | null };

/**
 * Reads `field = value` into an exact-match server filter. The value is JSON when it parses as a
 * number, boolean, null or quoted string, and plain text otherwise. Empty input means no filter.
 */
export function parseFieldFilter(input: string): ParsedFilter {
  const text = input.trim();
  if (!text) return { filter: null, error: null };
  const at = text.indexOf('=');
  if (at < 0) return { filter: null, error: 'Write it as field = value' };
  const field = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  if (!FieldPath.safeParse(field).success) return { filter: null, error: `"${field}" is not a field name like status or address.city` };
  let value: string | number | boolean | null = raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed === null || ['string', 'number', 'boolean'].includes(typeof parsed)) value = parsed as string | number | boolean | null;
  } catch {
    value = raw;
  }
  return { filter: { [field]: value }, error: null };
}

/** Whether a document satisfies an exact-match filter from `parseFieldFilter`. */
export function matchesFilter(document: AppDocument, filter: DataFilter | null): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, expected]) => {
    let value: unknown = document;
    for (const part of path.split('.'))
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    return value === expected;
  });
}

/**
 * Applies a live change to loaded pages in place: updates replace their row where it is, deletes
 * remove it, inserts join the top of the first page. Rows that no longer match the filter leave.
 */
export function applyChange(pages: readonly DataPage[], change: DataChange, filter: DataFilter | null): DataPage[] {
  const { documentId, document } = change;
  const keep = change.operation !== 'delete' && document !== null && matchesFilter(document, filter);
  let found = false;
  const next = pages.map((page) => {
    const index = page.items.findIndex((item) => item._id === documentId);
    if (index < 0) return page;
    found = true;
    const items = page.items.slice();
    if (keep) items[index] = document;
    else items.splice(index, 1);
    return { ...page, items };
  });
  const first = next[0];
  if (!found && keep && first) next[0] = { ...first, items: [document, ...first.items] };
  return next;
}

/** The editable part of a document as pretty JSON: everything but the system fields. */
export function editableJson(document: AppDocument): string {
  const fields: Record<string, unknown> = { ...document };
  for (const key of systemFields) delete fields[key];
  return JSON.stringify(fields, null, 2);
}

/** Parses the edit box: a JSON object without system fields, or a message saying what is wrong. */
export function parseEdit(text: string): { fields: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${error instanceof Error ? error.message : 'parse error'}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'The document must be a JSON object.' };
  const system = Object.keys(parsed).filter((key) => (systemFields as readonly string[]).includes(key));
  if (system.length > 0) return { error: `${system.join(', ')} cannot be edited.` };
  return { fields: parsed as Record<string, unknown> };
}
