import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasUnbuiltEdits, prepareHealthyWorkspace } from './heal-workspace';
import { templateDir } from './testing/template-cache';

let workspaceDir: string;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const version = { number: 3, files: [{ path: 'src/App.tsx', sha256: sha('good\n') }, { path: 'dist/index.html', sha256: sha('<p>') }] };

beforeEach(async () => {
  workspaceDir = path.join(await mkdtemp(path.join(tmpdir(), 'hangar-heal-')), 'app');
  await mkdir(path.join(workspaceDir, 'src'), { recursive: true });
  await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), 'good\n');
});
afterEach(async () => {
  await rm(path.dirname(workspaceDir), { recursive: true, force: true });
});

describe('hasUnbuiltEdits', () => {
  it('compares sources with the version, ignoring build output, packages and platform config', async () => {
    expect(await hasUnbuiltEdits(workspaceDir, version.files)).toBe(false);
    await mkdir(path.join(workspaceDir, 'node_modules', 'x'), { recursive: true });
    await writeFile(path.join(workspaceDir, 'node_modules', 'x', 'index.js'), '1');
    await writeFile(path.join(workspaceDir, 'vite.config.ts'), 'reset anyway');
    expect(await hasUnbuiltEdits(workspaceDir, version.files)).toBe(false);
    await writeFile(path.join(workspaceDir, 'src', 'extra.ts'), 'new\n');
    expect(await hasUnbuiltEdits(workspaceDir, version.files)).toBe(true);
    await rm(path.join(workspaceDir, 'src', 'extra.ts'));
    await rm(path.join(workspaceDir, 'src', 'App.tsx'));
    expect(await hasUnbuiltEdits(workspaceDir, version.files)).toBe(true);
  });
});

describe('prepareHealthyWorkspace', () => {
  it('resets a workspace whose dependencies cannot be installed to the last good version, and says so', async () => {
    const said: string[] = [];
    let attempts = 0;
    let restored = false;
    await mkdir(path.join(workspaceDir, 'node_modules', 'half-installed'), { recursive: true });
    const outcome = await prepareHealthyWorkspace({
      workspaceDir,
      templateDir,
      lastGood: version,
      prepare: () => (++attempts === 1 ? Promise.reject(new Error('npm install in the workspace failed:\nE404 pwn')) : Promise.resolve()),
      restoreLastGood: () => {
        restored = true;
        return Promise.resolve();
      },
      announce: (message) => {
        said.push(message);
        return Promise.resolve();
      },
    });
    expect(outcome.resetReason).toMatch(/dependencies could not be installed \(npm install in the workspace failed:\)/);
    expect(restored).toBe(true);
    expect(attempts).toBe(2);
    expect(said.join('')).toMatch(/reset the app's workspace to version 3/);
    // Half-installed packages are gone: the next prepare links them afresh.
    expect(await readdir(workspaceDir)).not.toContain('node_modules');
  });

  it('resets a new app without a version to the template, and fails the run when even that cannot be prepared', async () => {
    const said: string[] = [];
    await expect(
      prepareHealthyWorkspace({
        workspaceDir,
        templateDir,
        lastGood: null,
        prepare: () => Promise.reject(new Error('the registry is down')),
        restoreLastGood: () => Promise.reject(new Error('no version to restore')),
        announce: (message) => {
          said.push(message);
          return Promise.resolve();
        },
      }),
    ).rejects.toThrow(/registry is down/);
    expect(await readdir(workspaceDir)).toEqual([]);
    expect(said).toEqual([]);
  });

  it('leaves a healthy workspace alone', async () => {
    const outcome = await prepareHealthyWorkspace({
      workspaceDir,
      templateDir,
      lastGood: version,
      prepare: () => Promise.resolve(),
      restoreLastGood: () => Promise.reject(new Error('must not restore')),
      announce: () => Promise.reject(new Error('must not announce')),
    });
    expect(outcome).toEqual({ resetReason: null, message: null });
    expect(await readFile(path.join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toBe('good\n');
  });
});
