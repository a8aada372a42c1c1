/**
 * The shared dependency cache for app workspaces.
 *
 * The template's dependencies are installed once into `<cacheRoot>/<key>/node_modules`, where the
 * key hashes the template's package.json (plus platform, CPU and Node ABI, since some packages
 * ship native binaries). Locally the cache root lives under the data directory; in the container
 * it is a layer of the worker image (`warm-dependency-cache.ts` at image build time).
 *
 * Linking: each workspace gets a **hard-link copy** of the cache's node_modules (`cp -al`).
 * Measured with `measure-workspace.ts` against the alternatives in docs (ENVIRONMENT.md):
 * - parent-directory node_modules: free to set up, but `npm install <pkg>` in the workspace finds
 *   no local node_modules and installs *every* template dependency again (measured 4.6–5.1 s and
 *   ~140 MB for one tiny package, against 0.34 s with hard links), and workspaces must live under
 *   the cache directory;
 * - symlinked node_modules: free too, but `npm install <pkg>` writes through the link straight
 *   into the shared cache — exactly what add_dependency must never do — and Vite needs `fs.allow`;
 * - hard-link copy: 0.04–0.06 s with `cp -al` (0.25 s walking in Node); the workspace owns a
 *   real node_modules *tree* (its own directories), so npm adds, replaces or removes packages there by creating, renaming and unlinking entries,
 *   which never touches the cache. The one file npm rewrites in place, the hidden lockfile
 *   `node_modules/.package-lock.json`, is replaced by a private copy right after linking.
 *   Vite's per-app cache (`cacheDir: node_modules/.vite-app` in the template) is a new directory.
 * Hard links need the cache and the workspaces on one filesystem; otherwise files are copied
 * (slower, still correct). On overlayfs (the container) linking an image-layer file copies it up
 * to the writable layer first, once per container (not measured here: no Docker engine).
 *
 * Concurrency: the install runs in a private temporary directory renamed into place when
 * complete, so a half-installed cache is never visible; a lock file makes concurrent callers
 * wait for one install instead of each running their own (a stale lock — dead owner or too old —
 * is taken over, and if two installs ever race, the first rename wins and the other is dropped).
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isErrnoException } from '../workspace/tool-error';
import { npmOutput, quietNpmFlags, runNpm } from './npm';

/** A ready, shared node_modules for one version of the template's package.json. */
export interface DependencyCache {
  key: string;
  /** `<cacheRoot>/<key>`: package.json, package-lock.json, node_modules. */
  directory: string;
  nodeModulesDir: string;
}

export interface EnsureDependencyCacheOptions {
  templateDir: string;
  cacheRoot: string;
  npmCommand?: string;
  /** Longest an install may take; default 10 minutes. */
  installTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface EnsuredDependencyCache extends DependencyCache {
  /** True when this call ran the install; false when the cache was already there. */
  installed: boolean;
  durationMs: number;
}

const readyMarker = '.hangar-cache-ready';
const lockPollMs = 200;

/** The cache key for a template package.json: its hash, with platform, CPU and Node ABI. */
export function dependencyCacheKey(packageJson: string): string {
  return createHash('sha256')
    .update(packageJson)
    .update(`\0${process.platform}-${process.arch}-node-abi-${process.versions.modules}`)
    .digest('hex')
    .slice(0, 20);
}

/** Installs the template's dependencies into the shared cache once; later calls reuse it. */
export async function ensureDependencyCache(options: EnsureDependencyCacheOptions): Promise<EnsuredDependencyCache> {
  const started = performance.now();
  const packageJson = await readFile(path.join(options.templateDir, 'package.json'), 'utf8');
  const key = dependencyCacheKey(packageJson);
  const directory = path.join(options.cacheRoot, key);
  const cache: DependencyCache = { key, directory, nodeModulesDir: path.join(directory, 'node_modules') };
  const done = (installed: boolean): EnsuredDependencyCache => ({
    ...cache,
    installed,
    durationMs: Math.round(performance.now() - started),
  });
  if (await isReady(directory)) return done(false);

  await mkdir(options.cacheRoot, { recursive: true });
  const lockPath = path.join(options.cacheRoot, `${key}.lock`);
  const timeoutMs = options.installTimeoutMs ?? 10 * 60_000;
  const giveUpAt = Date.now() + timeoutMs + 60_000;
  for (;;) {
    if (await isReady(directory)) return done(false);
    if (await acquireLock(lockPath)) {
      try {
        if (await isReady(directory)) return done(false);
        await installInto(directory, packageJson, key, { ...options, installTimeoutMs: timeoutMs });
        return done(true);
      } finally {
        await rm(lockPath, { force: true });
      }
    }
    if (await isStaleLock(lockPath, timeoutMs + 60_000)) {
      options.log?.(`dependency cache: taking over a stale lock ${lockPath}`);
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for another process to install the dependency cache (${lockPath}).`);
    options.signal?.throwIfAborted();
    await sleep(lockPollMs);
  }
}

async function installInto(
  directory: string,
  packageJson: string,
  key: string,
  options: EnsureDependencyCacheOptions & { installTimeoutMs: number },
) {
  const temporary = path.join(path.dirname(directory), `.tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(temporary, { recursive: true });
  try {
    await writeFile(path.join(temporary, 'package.json'), packageJson);
    options.log?.(`dependency cache: installing the template's dependencies into ${directory}`);
    const outcome = await runNpm(['install', ...quietNpmFlags, '--prefer-offline'], {
      cwd: temporary,
      timeoutMs: options.installTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.npmCommand ? { npmCommand: options.npmCommand } : {}),
    });
    if (outcome.exitCode !== 0) throw new Error(`npm install of the template's dependencies failed:\n${npmOutput(outcome)}`);
    await access(path.join(temporary, 'node_modules'));
    await writeFile(path.join(temporary, readyMarker), JSON.stringify({ key, installedAt: new Date().toISOString() }));
    try {
      await rename(temporary, directory);
    } catch (error) {
      // Another install won the race (its lock was wrongly judged stale): keep theirs.
      if (!(isErrnoException(error) && (error.code === 'ENOTEMPTY' || error.code === 'EEXIST') && (await isReady(directory)))) throw error;
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

async function isReady(directory: string): Promise<boolean> {
  try {
    await access(path.join(directory, readyMarker));
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), createdAt: Date.now() }));
    await handle.close();
    return true;
  } catch (error) {
    if (isErrnoException(error) && error.code === 'EEXIST') return false;
    throw error;
  }
}

/** A lock is stale when its owner on this host is gone, or it is older than any install may take. */
async function isStaleLock(lockPath: string, maxAgeMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    if (Date.now() - info.mtimeMs > maxAgeMs) return true;
    const owner = JSON.parse(text) as { pid?: unknown; host?: unknown };
    if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
    return !isProcessAlive(owner.pid);
  } catch {
    // Unreadable or half-written (its owner is writing it right now): not stale yet.
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrnoException(error) && error.code === 'EPERM';
  }
}
