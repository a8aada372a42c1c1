import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../workspace/tool';
import { createAddDependencyTool } from './add-dependency-tool';
import type { DependencyCache } from './dependency-cache';
import { prepareWorkspace } from './prepare-workspace';
import { createFakeNpm } from './testing/fake-npm';
import { templateDependencyCache, templateDir } from './testing/template-cache';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-add-dependency-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fakeWorkspace(name: string): Promise<string> {
  const workspaceDir = path.join(root, name);
  await mkdir(workspaceDir);
  await writeFile(path.join(workspaceDir, 'package.json'), '{\n  "name": "app",\n  "dependencies": {}\n}\n');
  return workspaceDir;
}

describe('add_dependency input', () => {
  it.each([
    [{ name: 'React' }, /Invalid package name: a package name must be lowercase/],
    [{ name: '--registry=http://evil' }, /may not start with/],
    [{ name: 'fs' }, /core module/],
    [{ name: 'git+ssh://x' }, /URL-safe/],
    [{ name: 'react', version: 'latest' }, /Invalid version/],
    [{ name: 'react', version: '>=1' }, /Invalid version/],
    [{ name: 'react', version: '1.0.0', registry: 'x' }, /Unrecognized key/],
  ])('refuses %j without running npm', async (input, message) => {
    const npm = await createFakeNpm(root);
    const workspaceDir = await fakeWorkspace(`invalid-${Math.random().toString(36).slice(2)}`);
    const result = await runTool(createAddDependencyTool({ npmCommand: npm.command }), input, { workspaceDir });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(message);
    expect(await npm.calls()).toEqual([]);
  });

  it.each([
    [{ name: 'date-fns', version: '4.1.0' }, ['--save-exact', 'date-fns@4.1.0']],
    [{ name: '@tanstack/react-table', version: '^8.21.3' }, ['--save-prefix=^', '@tanstack/react-table@^8.21.3']],
    [{ name: 'zustand' }, ['--save-prefix=^', 'zustand']],
  ])('runs npm install in the workspace for %j', async (input, tail) => {
    const npm = await createFakeNpm(root);
    const workspaceDir = await fakeWorkspace(`valid-${Math.random().toString(36).slice(2)}`);
    const result = await runTool(createAddDependencyTool({ npmCommand: npm.command }), input, { workspaceDir });
    expect(result.ok).toBe(true);
    const calls = await npm.calls();
    expect(calls).toEqual([
      { cwd: workspaceDir, args: ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts', '--save', ...tail] },
    ]);
  });

  it('reports a failed install with npm output', async () => {
    const npm = await createFakeNpm(root, { exitCode: 1 });
    const workspaceDir = await fakeWorkspace('failing');
    const result = await runTool(createAddDependencyTool({ npmCommand: npm.command }), { name: 'no-such-package-xyz' }, { workspaceDir });
    expect(result).toMatchObject({
      ok: false,
      summary: 'add_dependency: npm could not install no-such-package-xyz. Check the package name and version exist.',
    });
    expect(result.output).toMatch(/npm error 404 Not Found/);
  });
});

/** A fingerprint of the shared cache: its package list, lockfiles and every top-level package.json. */
async function fingerprint(cache: DependencyCache): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(cache.nodeModulesDir)).sort();
  hash.update(entries.join('\n'));
  for (const file of [
    path.join(cache.directory, 'package.json'),
    path.join(cache.directory, 'package-lock.json'),
    path.join(cache.nodeModulesDir, '.package-lock.json'),
  ]) {
    hash.update(await readFile(file));
  }
  for (const entry of entries) {
    const manifest = path.join(cache.nodeModulesDir, entry, 'package.json');
    if (
      await stat(manifest).then(
        () => true,
        () => false,
      )
    )
      hash.update(await readFile(manifest));
  }
  return hash.digest('hex');
}

describe('add_dependency with real npm', () => {
  it('installs into that workspace only and never changes the shared cache', async () => {
    const cache = await templateDependencyCache();
    const before = await fingerprint(cache);
    const workspaceDir = path.join(root, 'real');
    await prepareWorkspace({ templateDir, workspaceDir, cache });
    const result = await runTool(createAddDependencyTool(), { name: 'ms', version: '2.1.3' }, { workspaceDir });
    expect(result.output).toMatch(/^Installed ms@2\.1\.3\./);
    expect(result).toMatchObject({ ok: true, summary: 'Added ms@2.1.3' });
    expect(result.diff).toContain('+    "ms": "2.1.3",');
    expect(JSON.parse(await readFile(path.join(workspaceDir, 'node_modules', 'ms', 'package.json'), 'utf8'))).toMatchObject({
      version: '2.1.3',
    });
    await expect(stat(path.join(cache.nodeModulesDir, 'ms'))).rejects.toThrow(/ENOENT/);
    expect(await fingerprint(cache)).toBe(before);
  }, 120_000);
});
