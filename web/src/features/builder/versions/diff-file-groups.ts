/** Where the build writes its output; rebuilt on every version, so it says little about what changed. */
const buildOutputPrefix = 'dist/';

/**
 * Splits a version diff into the files a person wrote (sources, sorted by path) and the build
 * output under `dist/`, which the console folds into one line below them.
 */
export function groupDiffFiles<F extends { path: string }>(files: readonly F[]): { sources: F[]; buildOutput: F[] } {
  const byPath = (a: F, b: F) => a.path.localeCompare(b.path);
  return {
    sources: files.filter((file) => !file.path.startsWith(buildOutputPrefix)).sort(byPath),
    buildOutput: files.filter((file) => file.path.startsWith(buildOutputPrefix)).sort(byPath),
  };
}
