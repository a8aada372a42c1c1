import { access, copyFile, cp, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DependencyCache } from './dependency-cache';
import { hardlinkTree, unshareFile, type LinkMethod } from './hardlink-tree';
import { npmOutput, quietNpmFlags, runNpm } from './npm';
import { assertRegistryDependencies, enforcePlatformFiles } from './platform-files';

export interface PrepareWorkspaceOptions {
  templateDir: string;
  workspaceDir: string;
  cache: DependencyCache;
  npmCommand?: string;
  /** For the install a restored workspace with extra dependencies needs; default 5 minutes. */
  installTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface PreparedWorkspace {
  workspaceDir: string;
  /** The template was copied in (the workspace was new or empty). */
  created: boolean;
  /** How node_modules was linked from the cache, or null when the workspace already had one. */
  linkMethod: LinkMethod | null;
  /** npm install ran because the workspace's package.json asks for more than the cache has. */
  installedExtraDependencies: boolean;
  durationMs: number;
}

/**
 * Template entries never copied into a workspace: installed packages, build output and caches,
 * and the template's own tests (they need vitest, which generated apps do not depend on).
 */
export function isExcludedFromWorkspace(name: string): boolean {
  return (
    name === 'node_modules' ||
    name === 'dist' ||
    name === '.git' ||
    name === '__fixtures__' ||
    name.startsWith('.vite') ||
    name.endsWith('.tsbuildinfo') ||
    /\.test\.[cm]?[jt]sx?$/.test(name)
  );
}

/**
 * Makes `workspaceDir` buildable: copies the template source into it when it is new, then gives it
 * a hard-link copy of the shared node_modules (see dependency-cache.ts for why hard links). A
 * workspace restored from a snapshot keeps its files (but not its build configuration: see
 * platform-files.ts); if its package.json lists packages the cache lacks (added earlier by
 * add_dependency), they are installed into this workspace only, with scripts off.
 */
export async function prepareWorkspace(options: PrepareWorkspaceOptions): Promise<PreparedWorkspace> {
  const started = performance.now();
  const { workspaceDir, cache } = options;
  await mkdir(workspaceDir, { recursive: true });
  const created = (await readdir(workspaceDir)).length === 0;
  if (created) {
    await cp(options.templateDir, workspaceDir, {
      recursive: true,
      filter: (source) => !isExcludedFromWorkspace(path.basename(source)),
    });
  }

  // The platform's build configuration, reset before npm reads package.json (which is refused when
  // it lists anything but registry packages: WorkspaceDependencyError).
  await enforcePlatformFiles(options.templateDir, workspaceDir);

  const nodeModulesDir = path.join(workspaceDir, 'node_modules');
  let linkMethod: LinkMethod | null = null;
  if (!(await exists(nodeModulesDir))) {
    linkMethod = await hardlinkTree(cache.nodeModulesDir, nodeModulesDir);
    await unshareFile(path.join(nodeModulesDir, '.package-lock.json'));
    const workspaceLock = path.join(workspaceDir, 'package-lock.json');
    const [workspaceManifest, cacheManifest] = await Promise.all([readManifest(workspaceDir), readManifest(cache.directory)]);
    if (!(await exists(workspaceLock)) && dependencyKey(workspaceManifest) === dependencyKey(cacheManifest)) {
      await copyFile(path.join(cache.directory, 'package-lock.json'), workspaceLock);
    }
  }
  // A workspace restored from a snapshot may list packages added by add_dependency in an earlier run.
  const missing = await missingDependencies(workspaceDir, await readManifest(workspaceDir));
  let installedExtraDependencies = false;
  if (missing.length > 0) {
    assertRegistryDependencies(await readManifest(workspaceDir));
    options.log?.(`workspace: installing dependencies the shared cache lacks: ${missing.join(', ')}`);
    const outcome = await runNpm(['install', ...quietNpmFlags, '--prefer-offline'], {
      cwd: workspaceDir,
      timeoutMs: options.installTimeoutMs ?? 5 * 60_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.npmCommand ? { npmCommand: options.npmCommand } : {}),
    });
    if (outcome.exitCode !== 0) throw new Error(`npm install in the workspace failed:\n${npmOutput(outcome)}`);
    installedExtraDependencies = true;
  }
  return { workspaceDir, created, linkMethod, installedExtraDependencies, durationMs: Math.round(performance.now() - started) };
}

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

async function readManifest(directory: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8')) as Manifest;
}

/** The dependency maps of a manifest, canonical, for comparison. */
function dependencyKey(manifest: Manifest): string {
  const sorted = (map: Record<string, string> = {}) => Object.entries(map).sort(([left], [right]) => (left < right ? -1 : 1));
  return JSON.stringify([sorted(manifest.dependencies), sorted(manifest.devDependencies)]);
}

/** Packages the manifest lists that node_modules does not have. */
async function missingDependencies(workspaceDir: string, manifest: Manifest): Promise<string[]> {
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  const present = await Promise.all(names.map((name) => exists(path.join(workspaceDir, 'node_modules', name, 'package.json'))));
  return names.filter((_name, index) => !present[index]);
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}
