import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dependencyCacheKey, ensureDependencyCache } from './dependency-cache';
import { createFakeNpm } from './testing/fake-npm';

let root: string;
let templateDir: string;
let cacheRoot: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-dependency-cache-'));
  templateDir = path.join(root, 'template');
  cacheRoot = path.join(root, 'cache');
  await mkdir(templateDir);
  await writeFile(path.join(templateDir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { react: '^19.2.0' } }));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensureDependencyCache', () => {
  it('installs once, with the safe npm flags, then reuses the cache', async () => {
    const npm = await createFakeNpm(root);
    const first = await ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command });
    expect(first).toMatchObject({
      installed: true,
      key: dependencyCacheKey(await readFile(path.join(templateDir, 'package.json'), 'utf8')),
    });
    expect(first.nodeModulesDir).toBe(path.join(cacheRoot, first.key, 'node_modules'));
    expect(await readdir(first.directory)).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'node_modules', '.hangar-cache-ready']),
    );
    const second = await ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command });
    expect(second).toMatchObject({ installed: false, directory: first.directory });
    const calls = await npm.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args).toEqual(['install', '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts', '--prefer-offline']);
    // Nothing but the cache and no leftover lock or temporary directory.
    expect(await readdir(cacheRoot)).toEqual([first.key]);
  });

  it('runs one install for concurrent callers', async () => {
    const npm = await createFakeNpm(root, { delayMs: 400 });
    const results = await Promise.all([1, 2, 3].map(() => ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command })));
    expect(await npm.calls()).toHaveLength(1);
    expect(results.filter((result) => result.installed)).toHaveLength(1);
    expect(new Set(results.map((result) => result.directory)).size).toBe(1);
  });

  it('keys the cache by the package.json: a changed template gets a new cache', async () => {
    const npm = await createFakeNpm(root);
    const before = await ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command });
    await writeFile(path.join(templateDir, 'package.json'), JSON.stringify({ name: 'app', dependencies: { react: '^19.2.1' } }));
    const after = await ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command });
    expect(after.key).not.toBe(before.key);
    expect(after.installed).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const npm = await createFakeNpm(root);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const key = dependencyCacheKey(await readFile(path.join(templateDir, 'package.json'), 'utf8'));
    await mkdir(cacheRoot);
    await writeFile(path.join(cacheRoot, `${key}.lock`), JSON.stringify({ pid: deadPid, host: hostname(), createdAt: Date.now() }));
    expect((await ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command })).installed).toBe(true);
  });

  it('reports a failed install with npm output and leaves nothing half-installed', async () => {
    const npm = await createFakeNpm(root, { exitCode: 1 });
    await expect(ensureDependencyCache({ templateDir, cacheRoot, npmCommand: npm.command })).rejects.toThrow(
      /npm install of the template's dependencies failed:\nnpm error code E404/,
    );
    expect(await readdir(cacheRoot)).toEqual([]);
  });
});
