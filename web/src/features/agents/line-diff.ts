/**
 * A unified diff of two texts, line by line (longest common subsequence), with three lines of
 * context: what the console shows for unsaved edits. Texts beyond `maxLines` are compared as a
 * whole (one hunk that replaces everything) to keep the table small.
 */
export function lineDiff(before: string, after: string, label = 'agents.json', maxLines = 3000): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = a.length * b.length > maxLines * maxLines ? replaceAll(a, b) : lcsOps(a, b);
  const hunks = toHunks(ops, 3);
  if (hunks.length === 0) return '';
  return [`--- ${label} (saved)`, `+++ ${label} (editing)`, ...hunks].join('\n') + '\n';
}

type Op = { kind: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [
    ...a.map((text, index) => ({ kind: '-' as const, text, aLine: index + 1, bLine: 0 })),
    ...b.map((text, index) => ({ kind: '+' as const, text, aLine: a.length, bLine: index + 1 })),
  ];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1)
    for (let j = b.length - 1; j >= 0; j -= 1)
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] ?? '', aLine: i + 1, bLine: j + 1 });
      i += 1;
      j += 1;
    } else if (i < a.length && (j >= b.length || (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))) {
      // Removals before additions, as diffs are usually read.
      ops.push({ kind: '-', text: a[i] ?? '', aLine: i + 1, bLine: j });
      i += 1;
    } else {
      ops.push({ kind: '+', text: b[j] ?? '', aLine: i, bLine: j + 1 });
      j += 1;
    }
  }
  return ops;
}

function toHunks(ops: Op[], context: number): string[] {
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const out: string[] = [];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && (changed[end + 1] ?? 0) - (changed[end] ?? 0) <= context * 2) end += 1;
    const from = Math.max(0, (changed[start] ?? 0) - context);
    const to = Math.min(ops.length - 1, (changed[end] ?? 0) + context);
    const slice = ops.slice(from, to + 1);
    const aCount = slice.filter((op) => op.kind !== '+').length;
    const bCount = slice.filter((op) => op.kind !== '-').length;
    const aStart = slice.find((op) => op.kind !== '+')?.aLine ?? slice[0]?.aLine ?? 0;
    const bStart = slice.find((op) => op.kind !== '-')?.bLine ?? slice[0]?.bLine ?? 0;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.text}`);
    start = end + 1;
  }
  return out;
}

/** How many lines a unified diff adds and removes (its header lines are not counted). */
export function diffLineCounts(unified: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of unified.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added += 1;
    else if (line.startsWith('-')) removed += 1;
  }
  return { added, removed };
}
