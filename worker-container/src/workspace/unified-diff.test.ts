import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff';

/** Applies a unified diff produced by `unifiedDiff` (a tiny `patch`), to check diffs round-trip. */
function applyDiff(oldText: string, diff: string): string {
  const oldLines = oldText.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const output: string[] = [];
  let position = 0;
  const lines = diff.split('\n');
  lines.pop();
  let previous: string[] | null = null;
  for (const line of lines.slice(2)) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (header) {
      const start = Number(header[1]);
      const count = header[2] === undefined ? 1 : Number(header[2]);
      const startIndex = count === 0 ? start : start - 1;
      output.push(...oldLines.slice(position, startIndex));
      position = startIndex;
      previous = null;
      continue;
    }
    if (line === '\\ No newline at end of file') {
      if (previous) previous[previous.length - 1] = (previous.at(-1) ?? '').replace(/\n$/, '');
      continue;
    }
    const kind = line[0];
    const text = `${line.slice(1)}\n`;
    if (kind === ' ' || kind === '-') {
      expect(oldLines[position]?.replace(/\n$/, '')).toBe(line.slice(1));
      position += 1;
    }
    if (kind === ' ' || kind === '+') {
      output.push(text);
      previous = output;
    } else {
      previous = kind === '-' ? null : previous;
    }
  }
  output.push(...oldLines.slice(position));
  return output.join('');
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { path: 'x.ts' })).toBe('');
  });

  it('shows one change with three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
    const after = before.replace('5\n', 'five\n');
    expect(unifiedDiff(before, after, { path: 'n.txt' })).toBe(
      '--- a/n.txt\n+++ b/n.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n',
    );
  });

  it('splits distant changes into separate hunks', () => {
    const before = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 28\n', '');
    const diff = unifiedDiff(before, after, { path: 'a.txt' });
    expect(diff.match(/^@@.*@@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -25,6 +25,5 @@']);
    expect(applyDiff(before, diff)).toBe(after);
  });

  it('diffs a new file from /dev/null and a deleted content to empty', () => {
    expect(unifiedDiff('', 'a\nb\n', { path: 'new.ts', created: true })).toBe('--- /dev/null\n+++ b/new.ts\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', '', { path: 'gone.ts' })).toBe('--- a/gone.ts\n+++ b/gone.ts\n@@ -1 +0,0 @@\n-a\n');
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', { path: 'x' })).toBe(
      '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('round-trips random edits', () => {
    let seed = 42;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    for (let round = 0; round < 300; round += 1) {
      const words = ['a', 'b', 'c', 'd', ''];
      const lines = Array.from({ length: random(25) }, () => words[random(words.length)] ?? '');
      const edited = lines.flatMap((line) => {
        const choice = random(10);
        if (choice === 0) return [];
        if (choice === 1) return [line, words[random(words.length)] ?? ''];
        if (choice === 2) return ['changed'];
        return [line];
      });
      const before = lines.join('\n') + (random(2) ? '\n' : '');
      const after = edited.join('\n') + (random(2) ? '\n' : '');
      const diff = unifiedDiff(before, after, { path: 'r.txt' });
      expect(diff === '').toBe(before === after);
      if (diff) expect(applyDiff(before, diff)).toBe(after);
    }
  });

  it('falls back to a whole replacement for huge middles and caps huge inputs', () => {
    const before = Array.from({ length: 3000 }, (_, index) => `old ${index}`).join('\n') + '\n';
    const after = Array.from({ length: 3000 }, (_, index) => `new ${index}`).join('\n') + '\n';
    const diff = unifiedDiff(before, after, { path: 'big.txt' });
    expect(diff.startsWith('--- a/big.txt\n+++ b/big.txt\n@@ -1,3000 +1,3000 @@\n-old 0\n')).toBe(true);
    expect(unifiedDiff('x'.repeat(2_000_000), 'y', { path: 'huge.txt' })).toMatch(/diff not shown/);
  });
});
