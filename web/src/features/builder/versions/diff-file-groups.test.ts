import { describe, expect, it } from 'vitest';
import { groupDiffFiles } from './diff-file-groups';

describe('groupDiffFiles', () => {
  it('puts sources first, sorted, and the build output apart', () => {
    const files = ['dist/index.html', 'src/App.tsx', 'dist/assets/index-abc.js', 'index.html', 'src/lead-fields.ts', 'distance.md'].map(
      (path) => ({ path }),
    );
    const { sources, buildOutput } = groupDiffFiles(files);
    expect(sources.map((file) => file.path)).toEqual(['distance.md', 'index.html', 'src/App.tsx', 'src/lead-fields.ts']);
    expect(buildOutput.map((file) => file.path)).toEqual(['dist/assets/index-abc.js', 'dist/index.html']);
  });
});
