/**
 * The build configuration belongs to the platform, not to the app: every file the toolchain
 * executes or that steers where it reads, writes or installs from. The agent's file tools refuse
 * to write these paths, and `enforcePlatformFiles` (build/platform-files.ts) resets them from the
 * template before every build, so a file restored from an old snapshot cannot steer it either.
 */

/** Root-level paths the template provides as platform files (its Vite config, HTML entry, tsconfig, …). */
export const platformRootPaths: ReadonlySet<string> = new Set([
  'index.html',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'vite.config.ts',
  '.gitignore',
]);

/** The template directory of platform code (the workspace-confinement Vite plugin). */
export const platformDirectory = 'platform';

/**
 * File names that configure a tool of the build anywhere in the tree: package manifests and
 * lockfiles, npm/yarn/pnpm settings, TypeScript projects, bundler, PostCSS, Tailwind and Babel
 * configs (each of which is executed or obeyed by the build), and the workspace's version marker.
 */
const toolchainFileNames: readonly RegExp[] = [
  /^package(-lock)?\.json$/i,
  /^npm-shrinkwrap\.json$/i,
  /^[tj]sconfig(\..+)?\.json$/i,
  /^(vite|vitest|rolldown|rollup|postcss|tailwind|babel|esbuild|webpack|svelte|astro)\.config\.[cm]?[jt]sx?$/i,
  /^\.(postcssrc|babelrc|swcrc|browserslistrc|npmrc|yarnrc|pnpmfile)/i,
  /^\.yarnrc\.yml$/i,
  /^browserslist$/i,
  /^\.hangar-version$/i,
];

/** True when a file with this name configures the toolchain, wherever it is. */
export function isToolchainFileName(name: string): boolean {
  return toolchainFileNames.some((pattern) => pattern.test(name));
}

/**
 * Why the agent may not write `segments` (a workspace-relative path split on `/`), or null.
 * The message says what to do instead.
 */
export function platformPathProblem(segments: readonly string[]): string | null {
  const shown = segments.join('/');
  const name = segments.at(-1) ?? '';
  if (segments[0] === platformDirectory) {
    return `"${shown}" is platform build code; the agent cannot change it. Put app code under src/.`;
  }
  if (name === 'package.json' || name === 'package-lock.json' || name === 'npm-shrinkwrap.json') {
    return `"${shown}" is managed by the platform. Add packages with the add_dependency tool; scripts and other fields are fixed.`;
  }
  if ((segments.length === 1 && platformRootPaths.has(name)) || isToolchainFileName(name)) {
    return `"${shown}" is build configuration owned by the platform (it is reset before every build); the agent cannot write it. Put app code under src/ and add packages with add_dependency.`;
  }
  return null;
}
