/**
 * Platform build code (the agent cannot change it; the worker resets it before every build).
 *
 * A Vite plugin that fails the build when anything would read a file outside the app workspace
 * (its own sources and its installed packages): a JavaScript import of any kind (`?raw`, `?url`,
 * `?inline`, globs, dynamic imports), `new URL('…', import.meta.url)`, and CSS `@import`, `url()`
 * and Tailwind's `@plugin`/`@config`/`@source`/`@reference`. The check runs at every stage that
 * can see a path: resolution, loading, the source text of CSS and JS, asset inlining and the
 * emitted assets' original files, so a path that slips past one is caught by the next.
 *
 * It is one layer: in the worker the build also runs in a sandbox where no outside file exists.
 * No `node:` imports (file access goes through the plugin context's `this.fs`), so the app's
 * typecheck needs no Node types.
 */
import type { Plugin, ResolvedConfig } from 'vite';

/** The message the build fails with; the agent reads it in done_building's build errors. */
export function outsideWorkspaceMessage(reference: string, importer?: string): string {
  const from = importer ? ` (in ${importer})` : '';
  return `Refused to read "${reference}"${from}: it resolves outside the app workspace. Builds may only read files inside the workspace and its installed packages.`;
}

/** Normalises an absolute POSIX path: collapses `.`, `..` and repeated slashes. */
export function normalizeAbsolute(value: string): string {
  const parts: string[] = [];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join('/')}`;
}

/** The path part of a module id: no query (`?raw`), no hash, no `/@fs` prefix. */
export function filePathOf(id: string): string {
  const clean = id.replace(/[?#].*$/s, '');
  return clean.startsWith('/@fs/') ? clean.slice('/@fs'.length) : clean;
}

function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => file === root || file.startsWith(`${root}/`));
}

function dirnameOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/')) || '/';
}

/** Paths a stylesheet refers to: @import, Tailwind directives and url(). */
export function cssReferences(css: string): string[] {
  const references: string[] = [];
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const match of withoutComments.matchAll(/@(?:import|plugin|config|source|reference)\s+(?:url\(\s*)?(['"])(.*?)\1/g))
    references.push(match[2] ?? '');
  for (const match of withoutComments.matchAll(/url\(\s*(['"]?)([^'")\s]+)\1\s*\)/g)) references.push(match[2] ?? '');
  return references;
}

/** Paths a script resolves against its own URL: `new URL('…', import.meta.url)`. */
export function importMetaUrlReferences(code: string): string[] {
  return [...code.matchAll(/new\s+URL\s*\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g)].map((match) => match[2] ?? '');
}

type InlineLimitFunction = Exclude<ResolvedConfig['build']['assetsInlineLimit'], number>;

const cssFile = /\.(css|pcss|postcss|scss|sass|less|styl|stylus)$/;
const scriptFile = /\.[cm]?[jt]sx?$/;

/**
 * Confines every file the build reads to the workspace root, the real location of its
 * node_modules (a shared dependency cache it may be linked to), the node_modules directories
 * Node's resolution searches above the root, and `extraRoots`.
 */
export function workspaceConfinement(options: { extraRoots?: readonly string[] } = {}): Plugin {
  let roots: string[] = [];
  let config: ResolvedConfig | undefined;
  /** Ids the load hook need not see: filled in once the roots are known (before the build reads its hook filters). */
  const insideRoots: RegExp[] = [];

  const checkSync = (file: string, reference: string, importer?: string) => {
    if (!file.startsWith('/')) return;
    const normalized = normalizeAbsolute(file);
    if (!isInside(normalized, roots)) throw new Error(outsideWorkspaceMessage(reference, importer && relativeToRoot(importer)));
  };
  const relativeToRoot = (file: string) => {
    const root = roots[0] ?? '';
    return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  };

  return {
    name: 'hangar:workspace-confinement',
    enforce: 'pre',
    // The worker starts Vite in the workspace's real path, so `root` needs no realpath here.
    configResolved(resolved) {
      config = resolved;
      const candidates = [resolved.root, ...(options.extraRoots ?? [])];
      roots = [...new Set(candidates.map((root) => normalizeAbsolute(root)))];
      // Where Node's resolution looks for packages above the root (the repository's node_modules
      // when the template itself is built): package files, never the app's or the host's data.
      for (let parent = dirnameOf(roots[0] ?? '/'); ; parent = dirnameOf(parent)) {
        roots.push(parent === '/' ? '/node_modules' : `${parent}/node_modules`);
        if (parent === '/') break;
      }
      insideRoots.push(new RegExp(`^(?:${roots.map(escapeRegExp).join('|')})/`));
      // Assets are read, then inlined or emitted: refuse one from outside before either.
      const inlineLimit = resolved.build.assetsInlineLimit;
      const confinedInlineLimit: InlineLimitFunction = (file, content) => {
        checkSync(filePathOf(file), file);
        return typeof inlineLimit === 'function' ? inlineLimit(file, content) : content.length < inlineLimit;
      };
      resolved.build.assetsInlineLimit = confinedInlineLimit;
    },
    async buildStart() {
      // A node_modules linked to a shared, read-only dependency cache is readable where it really is.
      const root = roots[0];
      if (!root) return;
      const linked = await this.fs.realpath(`${root}/node_modules`).catch(() => null);
      if (linked && !isInside(linked, roots)) roots.push(linked);
    },
    // Resolution follows symlinks (resolve.preserveSymlinks stays false), so a module id is the
    // file's real path, and a file under a root is inside it. Hook filters keep every such id
    // native: only an id outside every root reaches this handler, where it is refused before it
    // is read.
    load: {
      filter: { id: { include: /^\//, exclude: insideRoots } },
      handler(id) {
        checkSync(filePathOf(id), id);
        return null;
      },
    },
    // Only sources that can name another file by path: CSS directives and url(), and
    // `new URL(…, import.meta.url)` (the filter is a superset of what the handler looks for).
    transform: {
      filter: { code: /@(?:import|plugin|config|source|reference)\b|url\(|import\.meta\.url/ },
      async handler(code, id) {
        const file = filePathOf(id);
        if (!file.startsWith('/')) return null;
        const references = cssFile.test(file) ? cssReferences(code) : scriptFile.test(file) ? importMetaUrlReferences(code) : [];
        for (const reference of references) {
          if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(reference) || reference.includes('${')) continue;
          let target: string | undefined;
          if (reference.startsWith('/')) target = (await exists(this, reference)) ? reference : undefined;
          else if (reference.startsWith('.')) target = normalizeAbsolute(`${dirnameOf(file)}/${reference}`);
          else target = filePathOf((await this.resolve(reference, id, { skipSelf: true }))?.id ?? '');
          if (!target || !target.startsWith('/')) continue;
          checkSync(target, reference, file);
          checkSync(await this.fs.realpath(target).catch(() => target), reference, file);
        }
        return null;
      },
    },
    generateBundle(_outputOptions, bundle) {
      for (const moduleId of this.getModuleIds()) {
        if (!moduleId.startsWith('\0')) checkSync(filePathOf(moduleId), moduleId);
      }
      for (const output of Object.values(bundle)) {
        if (output.type !== 'asset') continue;
        for (const original of output.originalFileNames) {
          const absolute = original.startsWith('/') ? original : `${config?.root ?? ''}/${original}`;
          checkSync(normalizeAbsolute(absolute), original);
        }
      }
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function exists(context: { fs: { stat(path: string): Promise<unknown> } }, file: string): Promise<boolean> {
  try {
    await context.fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
