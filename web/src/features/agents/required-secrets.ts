/** One secret an app's tools need, and the tools that use it. */
export type RequiredSecret = { name: string; tools: string[] };

const secretPlaceholder = /\{\{\s*secrets\.([A-Z][A-Z0-9_]{0,63})\s*\}\}/g;
/** The parts of a tool whose text is filled in when it is called (the mock and description are not). */
const templateFields = ['url', 'query', 'headers', 'body'] as const;

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, into);
}

/**
 * The secret names an agents.json asks for through `{{secrets.NAME}}` placeholders, sorted, each
 * with the tools that use it. Works on documents that do not validate yet, so the secrets page
 * can be filled in while the configuration is still being written.
 */
export function requiredSecrets(document: unknown): RequiredSecret[] {
  const tools = typeof document === 'object' && document !== null ? (document as { tools?: unknown }).tools : undefined;
  if (!Array.isArray(tools)) return [];
  const byName = new Map<string, Set<string>>();
  tools.forEach((tool: unknown, index) => {
    if (typeof tool !== 'object' || tool === null) return;
    const record = tool as Record<string, unknown>;
    const toolName = typeof record.name === 'string' && record.name ? record.name : `tools[${index}]`;
    const texts: string[] = [];
    for (const field of templateFields) collectStrings(record[field], texts);
    for (const text of texts)
      for (const match of text.matchAll(secretPlaceholder)) {
        const name = match[1] ?? '';
        byName.set(name, (byName.get(name) ?? new Set()).add(toolName));
      }
  });
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, users]) => ({ name, tools: [...users].sort() }));
}

/** Parses an editor's text, answering undefined when it is not JSON (yet). */
export function parseJsonOrUndefined(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
