import { describe, expect, it } from 'vitest';
import { diffLineCounts, lineDiff } from './line-diff';

const lines = (count: number) => Array.from({ length: count }, (_, index) => `line ${index + 1}`);

describe('lineDiff', () => {
  it('is empty for equal texts', () => {
    expect(lineDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows one changed line with three lines of context and correct hunk ranges', () => {
    const before = lines(10).join('\n') + '\n';
    const after = before.replace('line 5\n', 'line five\n');
    expect(lineDiff(before, after)).toBe(
      [
        '--- agents.json (saved)',
        '+++ agents.json (editing)',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('splits far-apart changes into separate hunks and counts additions and removals', () => {
    const before = lines(30).join('\n');
    const after = [...lines(30).slice(0, 2), 'inserted', ...lines(30).slice(2, 27)].join('\n');
    const diff = lineDiff(before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diffLineCounts(diff)).toEqual({ added: 1, removed: 3 });
    expect(diff).toContain('+inserted');
    expect(diff).toContain('-line 30');
  });

  it('compares very long texts as a whole rather than building a huge table', () => {
    const diff = lineDiff(lines(5).join('\n'), lines(6).join('\n'), 'agents.json', 2);
    expect(diffLineCounts(diff)).toEqual({ added: 6, removed: 5 });
  });
});

describe('diffLineCounts', () => {
  it('ignores the file header lines', () => {
    expect(diffLineCounts('--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n+z\n')).toEqual({ added: 2, removed: 1 });
  });
});
