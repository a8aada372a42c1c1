/**
 * A small line-based unified diff (the `diff -u` / git format) for showing the model's edits in
 * the UI. Common prefix and suffix are trimmed, the middle is diffed by LCS; a middle too large
 * for LCS is shown as one replacement, which is still a correct, if not minimal, diff.
 */

export interface UnifiedDiffOptions {
  /** Path shown in the `---`/`+++` headers, relative to the workspace. */
  path: string;
  /** The file did not exist before: the old side is `/dev/null`. */
  created?: boolean;
  /** Unchanged lines shown around each change. */
  context?: number;
}

/** Largest text (in characters) either side may have; bigger inputs get a one-line notice. */
export const maxDiffInputChars = 1024 * 1024;
/** Longest diff returned; the rest is cut with a notice. */
export const maxDiffOutputChars = 100_000;
/** Largest LCS table (old lines × new lines of the changed middle). */
const maxLcsCells = 4_000_000;

type Operation = { kind: ' ' | '-' | '+'; line: string };

/** The unified diff from `oldText` to `newText`, or an empty string when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return '';
  const header = `--- ${options.created ? '/dev/null' : `a/${options.path}`}\n+++ b/${options.path}\n`;
  if (oldText.length > maxDiffInputChars || newText.length > maxDiffInputChars) {
    return `${header}(diff not shown: the file is larger than ${maxDiffInputChars} characters)\n`;
  }
  const operations = diffLines(splitLines(oldText), splitLines(newText));
  const body = formatHunks(operations, options.context ?? 3);
  const diff = header + body;
  if (diff.length <= maxDiffOutputChars) return diff;
  return `${diff.slice(0, maxDiffOutputChars)}\n… (diff truncated: ${diff.length - maxDiffOutputChars} more characters)\n`;
}

/** Lines with their `\n` kept, so a missing final newline is itself a difference. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function diffLines(oldLines: readonly string[], newLines: readonly string[]): Operation[] {
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  const oldMiddle = oldLines.slice(prefix, oldLines.length - suffix);
  const newMiddle = newLines.slice(prefix, newLines.length - suffix);
  const middle =
    oldMiddle.length * newMiddle.length <= maxLcsCells
      ? diffByLcs(oldMiddle, newMiddle)
      : [...oldMiddle.map((line): Operation => ({ kind: '-', line })), ...newMiddle.map((line): Operation => ({ kind: '+', line }))];
  return [
    ...oldLines.slice(0, prefix).map((line): Operation => ({ kind: ' ', line })),
    ...middle,
    ...oldLines.slice(oldLines.length - suffix).map((line): Operation => ({ kind: ' ', line })),
  ];
}

function diffByLcs(oldLines: readonly string[], newLines: readonly string[]): Operation[] {
  const rows = oldLines.length;
  const columns = newLines.length;
  const width = columns + 1;
  // lengths[i * width + j] = LCS length of oldLines[i..] and newLines[j..]
  const lengths = new Uint32Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i -= 1) {
    for (let j = columns - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        oldLines[i] === newLines[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const operations: Operation[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    const oldLine = oldLines[i];
    const newLine = newLines[j];
    if (i < rows && j < columns && oldLine === newLine && oldLine !== undefined) {
      operations.push({ kind: ' ', line: oldLine });
      i += 1;
      j += 1;
    } else if (
      oldLine !== undefined &&
      (newLine === undefined || (lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0))
    ) {
      operations.push({ kind: '-', line: oldLine });
      i += 1;
    } else if (newLine !== undefined) {
      operations.push({ kind: '+', line: newLine });
      j += 1;
    }
  }
  return operations;
}

function formatHunks(operations: readonly Operation[], context: number): string {
  const changed = operations.flatMap((operation, index) => (operation.kind === ' ' ? [] : [index]));
  const groups: Array<{ first: number; last: number }> = [];
  for (const index of changed) {
    const current = groups.at(-1);
    if (current && index - current.last <= 2 * context) current.last = index;
    else groups.push({ first: index, last: index });
  }
  // oldBefore[k] / newBefore[k]: old and new lines consumed before operation k.
  const oldBefore = [0];
  const newBefore = [0];
  for (const operation of operations) {
    oldBefore.push((oldBefore.at(-1) ?? 0) + (operation.kind === '+' ? 0 : 1));
    newBefore.push((newBefore.at(-1) ?? 0) + (operation.kind === '-' ? 0 : 1));
  }
  let output = '';
  for (const { first, last } of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(operations.length, last + context + 1);
    const oldStart = oldBefore[from] ?? 0;
    const newStart = newBefore[from] ?? 0;
    const oldCount = (oldBefore[to] ?? 0) - oldStart;
    const newCount = (newBefore[to] ?? 0) - newStart;
    output += `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`;
    for (const operation of operations.slice(from, to)) {
      output += operation.line.endsWith('\n')
        ? `${operation.kind}${operation.line}`
        : `${operation.kind}${operation.line}\n\\ No newline at end of file\n`;
    }
  }
  return output;
}

/** `start,count` in unified-diff convention: an empty range names the line before it. */
function range(linesBefore: number, count: number): string {
  if (count === 0) return `${linesBefore},0`;
  return count === 1 ? `${linesBefore + 1}` : `${linesBefore + 1},${count}`;
}
