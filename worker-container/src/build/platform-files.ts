/**
 * Resets the platform's build configuration in a workspace from the template, before every build
 * and when a workspace is prepared: the model cannot write these files (the file tools refuse),
 * and a workspace restored from an older snapshot gets them back as the platform defines them.
 * See workspace/platform-paths.ts for which files are the platform's.
 */
import { readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isToolchainFileName, platformRootPaths } from '../workspace/platform-paths';
import { isIgnoredDirectory } from '../workspace/workspace-files';
import { dependencyRangeProblem, packageNameProblem } from './npm-package-spec';

/** The only registry a lockfile may resolve packages from. */
export const npmRegistryUrl = 'https://registry.npmjs.org/';

/** A workspace whose package.json lists what the platform does not install; the message names the entries. */
export class WorkspaceDependencyError extends Error {
  override readonly name = 'WorkspaceDependencyError';
}

type DependencyMap = Record<string, string>;
interface Manifest {
  dependencies?: DependencyMap;
  devDependencies?: DependencyMap;
  [field: string]: unknown;
}

export interface EnforcedPlatformFiles {
  /** Workspace-relative paths rewritten from the template or removed. */
  reset: string[];
}

/**
 * Rewrites every template file outside `src/` into the workspace (only those that differ), merges
 * package.json (the template's, with the workspace's validated dependencies), removes stray
 * toolchain configuration anywhere else, and drops a lockfile that resolves outside the registry.
 * Throws WorkspaceDependencyError, before anything is installed, when package.json lists a
 * dependency that is not a registry package with a semver range.
 */
export async function enforcePlatformFiles(templateDir: string, workspaceDir: string): Promise<EnforcedPlatformFiles> {
  const reset: string[] = [];
  const templateFiles = await platformTemplateFiles(templateDir);
  for (const relative of templateFiles) {
    const target = path.join(workspaceDir, relative);
    const wanted =
      relative === 'package.json'
        ? await mergedManifest(templateDir, workspaceDir)
        : await readFile(path.join(templateDir, relative), 'utf8');
    const current = await readFile(target, 'utf8').catch(() => null);
    if (current === wanted) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await writeFile(target, wanted);
    if (current !== null) reset.push(relative);
  }
  const keep = new Set([...templateFiles, 'package-lock.json']);
  for (const relative of await strayToolchainFiles(workspaceDir)) {
    if (keep.has(relative)) continue;
    await rm(path.join(workspaceDir, relative), { recursive: true, force: true });
    reset.push(relative);
  }
  const lockProblem = await lockfileProblem(path.join(workspaceDir, 'package-lock.json'));
  if (lockProblem !== null) {
    await rm(path.join(workspaceDir, 'package-lock.json'), { force: true });
    reset.push('package-lock.json');
  }
  return { reset };
}

/** The template's platform files: everything outside src/ that is copied into a workspace. */
async function platformTemplateFiles(templateDir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(templateDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (!relative && entry.name === 'src') continue;
      if (isIgnoredDirectory(entry.name) || entry.name === '__fixtures__' || /\.test\.[cm]?[jt]sx?$/.test(entry.name)) continue;
      if (entry.name.endsWith('.tsbuildinfo')) continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  await walk('');
  return files.sort();
}

/** Toolchain files anywhere in the workspace (outside node_modules, dist, .git), plus root platform paths. */
async function strayToolchainFiles(workspaceDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(workspaceDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !entry.isSymbolicLink()) {
        if (!isIgnoredDirectory(entry.name)) await walk(child);
      } else if (isToolchainFileName(entry.name) || (!relative && platformRootPaths.has(entry.name))) {
        found.push(child);
      }
    }
  };
  await walk('');
  return found;
}

/** The template's package.json with the workspace's dependencies (validated) on top of its own. */
async function mergedManifest(templateDir: string, workspaceDir: string): Promise<string> {
  const template = JSON.parse(await readFile(path.join(templateDir, 'package.json'), 'utf8')) as Manifest;
  const workspace = await readWorkspaceManifest(workspaceDir);
  assertRegistryDependencies(workspace);
  const merged: Manifest = {
    ...template,
    dependencies: { ...template.dependencies, ...workspace.dependencies },
    devDependencies: { ...template.devDependencies, ...workspace.devDependencies },
  };
  return `${JSON.stringify(merged, null, 2)}\n`;
}

async function readWorkspaceManifest(workspaceDir: string): Promise<Manifest> {
  const text = await readFile(path.join(workspaceDir, 'package.json'), 'utf8').catch(() => null);
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Manifest;
  } catch {
    throw new WorkspaceDependencyError("The workspace's package.json is not valid JSON.");
  }
}

/**
 * Refuses a manifest listing anything but npm registry packages with semver ranges (no `file:`,
 * `link:`, git, URL, path, `workspace:` or `npm:` alias), before npm ever reads it.
 */
export function assertRegistryDependencies(manifest: Manifest): void {
  const problems: string[] = [];
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const) {
    const map = manifest[section];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(`${section} is not an object`);
      continue;
    }
    for (const [name, spec] of Object.entries(map as Record<string, unknown>)) {
      const problem = packageNameProblem(name) ?? (typeof spec === 'string' ? dependencyRangeProblem(spec) : 'the range is not a string');
      if (problem) problems.push(`"${name}": ${problem}`);
    }
  }
  if (problems.length > 0) {
    throw new WorkspaceDependencyError(
      `The workspace's package.json lists dependencies the platform does not install (only npm registry packages with version ranges): ${problems.join('; ')}.`,
    );
  }
}

/** Why a lockfile must not be used (a package linked from a path or resolved outside the registry), or null. */
export async function lockfileProblem(lockPath: string): Promise<string | null> {
  const text = await readFile(lockPath, 'utf8').catch(() => null);
  if (text === null) return null;
  let lock: { packages?: Record<string, { link?: unknown; resolved?: unknown }> };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch {
    return 'package-lock.json is not valid JSON';
  }
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === '') continue;
    if (!location.startsWith('node_modules/') || location.includes('..')) return `${location} is not an installed package location`;
    if (entry.link !== undefined) return `${location} is a link`;
    if (entry.resolved !== undefined && (typeof entry.resolved !== 'string' || !entry.resolved.startsWith(npmRegistryUrl)))
      return `${location} resolves outside the npm registry`;
  }
  return null;
}
