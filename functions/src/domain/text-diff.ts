/**
 * A small line-based unified diff (LCS), for version diffs in the console. Inputs above
 * `maxLines` lines are summarised instead of diffed.
 */
export function unifiedDiff(path: string, before: string, after: string, maxLines = 4000): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length > maxLines || b.length > maxLines)
    return `--- a/${path}\n+++ b/${path}\n@@ file too large to diff (${a.length} → ${b.length} lines) @@\n`;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] =
        a[i] === b[j] ? (lcs[(i + 1) * cols + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * cols + j] ?? 0, lcs[i * cols + j + 1] ?? 0);
    }
  }
  const lines: { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({ kind: ' ', text: a[i++] ?? '', oldLine: i, newLine: ++j });
    else if (j < b.length && (i >= a.length || (lcs[i * cols + j + 1] ?? 0) > (lcs[(i + 1) * cols + j] ?? 0)))
      lines.push({ kind: '+', text: b[j++] ?? '', oldLine: i, newLine: j });
    else lines.push({ kind: '-', text: a[i++] ?? '', oldLine: i, newLine: j });
  }
  const context = 3;
  const changed = lines.map((line, index) => (line.kind !== ' ' ? index : -1)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && (changed[end + 1] ?? 0) - (changed[end] ?? 0) <= context * 2) end++;
    const from = Math.max(0, (changed[start] ?? 0) - context);
    const to = Math.min(lines.length - 1, (changed[end] ?? 0) + context);
    const hunk = lines.slice(from, to + 1);
    const oldStart = hunk.find((line) => line.kind !== '+')?.oldLine ?? 1;
    const newStart = hunk.find((line) => line.kind !== '-')?.newLine ?? 1;
    out.push(`@@ -${oldStart},${hunk.filter((l) => l.kind !== '+').length} +${newStart},${hunk.filter((l) => l.kind !== '-').length} @@`);
    for (const line of hunk) out.push(`${line.kind}${line.text}`);
    start = end + 1;
  }
  return `${out.join('\n')}\n`;
}
