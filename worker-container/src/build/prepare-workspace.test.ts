import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnsuredDependencyCache } from './dependency-cache';
import { prepareWorkspace } from './prepare-workspace';
import { createFakeNpm } from './testing/fake-npm';
import { templateDependencyCache, templateDir } from './testing/template-cache';

let root: string;
let cache: EnsuredDependencyCache;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-prepare-workspace-'));
  cache = await templateDependencyCache();
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('prepareWorkspace', () => {
  it('copies the template source (without tests, node_modules or dist) and hard-links the shared node_modules', async () => {
    const workspaceDir = path.join(root, 'new-app');
    const prepared = await prepareWorkspace({ templateDir, workspaceDir, cache });
    expect(prepared).toMatchObject({ created: true, linkMethod: 'cp-al', installedExtraDependencies: false });
    const files = await readdir(workspaceDir, { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'index.html',
        'vite.config.ts',
        'tsconfig.json',
        path.join('src', 'main.tsx'),
      ]),
    );
    expect(files.filter((file) => /\.test\.tsx?$/.test(file) && !file.startsWith('node_modules'))).toEqual([]);
    expect(files).not.toContain('dist');

    // Template files are copies: editing them can never change the template.
    const templateApp = await stat(path.join(templateDir, 'src', 'App.tsx'));
    expect((await stat(path.join(workspaceDir, 'src', 'App.tsx'))).ino).not.toBe(templateApp.ino);
    // Package files are hard links into the cache; directories and the hidden lockfile are the workspace's own.
    const reactManifest = 'node_modules/react/package.json';
    expect((await stat(path.join(workspaceDir, reactManifest))).ino).toBe((await stat(path.join(cache.directory, reactManifest))).ino);
    expect((await stat(path.join(workspaceDir, 'node_modules/react'))).ino).not.toBe(
      (await stat(path.join(cache.directory, 'node_modules/react'))).ino,
    );
    const hiddenLock = 'node_modules/.package-lock.json';
    expect((await stat(path.join(workspaceDir, hiddenLock))).ino).not.toBe((await stat(path.join(cache.directory, hiddenLock))).ino);
    expect(await readFile(path.join(workspaceDir, hiddenLock), 'utf8')).toBe(
      await readFile(path.join(cache.directory, hiddenLock), 'utf8'),
    );
  });

  it('keeps the files of an existing workspace and links node_modules only once', async () => {
    const workspaceDir = path.join(root, 'existing');
    await prepareWorkspace({ templateDir, workspaceDir, cache });
    await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), 'export function App() { return null; }\n');
    const again = await prepareWorkspace({ templateDir, workspaceDir, cache });
    expect(again).toMatchObject({ created: false, linkMethod: null, installedExtraDependencies: false });
    expect(await readFile(path.join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toBe('export function App() { return null; }\n');
  });

  it('installs what a restored workspace lists beyond the cache, in that workspace', async () => {
    const workspaceDir = path.join(root, 'restored');
    await mkdir(workspaceDir);
    const manifest = JSON.parse(await readFile(path.join(templateDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['ms'] = '2.1.3';
    await writeFile(path.join(workspaceDir, 'package.json'), JSON.stringify(manifest));
    const npm = await createFakeNpm(root);
    const prepared = await prepareWorkspace({ templateDir, workspaceDir, cache, npmCommand: npm.command });
    expect(prepared).toMatchObject({ created: false, linkMethod: 'cp-al', installedExtraDependencies: true });
    expect(await npm.calls()).toEqual([
      { cwd: workspaceDir, args: ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts', '--prefer-offline'] },
    ]);
  });

  it('refuses to install non-registry specs from a restored package.json', async () => {
    const workspaceDir = path.join(root, 'tampered');
    await mkdir(workspaceDir);
    await writeFile(path.join(workspaceDir, 'package.json'), JSON.stringify({ dependencies: { evil: 'file:../../etc' } }));
    const npm = await createFakeNpm(root);
    await expect(prepareWorkspace({ templateDir, workspaceDir, cache, npmCommand: npm.command })).rejects.toThrow(
      /"file:..\/..\/etc" is not a registry version range/,
    );
    expect(await npm.calls()).toEqual([]);
  });
});
