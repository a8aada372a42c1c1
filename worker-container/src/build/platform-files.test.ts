import { cp, mkdir, mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enforcePlatformFiles, lockfileProblem, WorkspaceDependencyError } from './platform-files';
import { isExcludedFromWorkspace } from './prepare-workspace';
import { templateDir } from './testing/template-cache';

let workspaceDir: string;
const template = (file: string) => readFile(path.join(templateDir, file), 'utf8');
const workspace = (file: string) => readFile(path.join(workspaceDir, file), 'utf8');
const exists = (file: string) =>
  access(path.join(workspaceDir, file)).then(
    () => true,
    () => false,
  );

beforeEach(async () => {
  workspaceDir = path.join(await mkdtemp(path.join(tmpdir(), 'hangar-platform-files-')), 'app');
  await cp(templateDir, workspaceDir, { recursive: true, filter: (source) => !isExcludedFromWorkspace(path.basename(source)) });
});
afterEach(async () => {
  await rm(path.dirname(workspaceDir), { recursive: true, force: true });
});

describe('enforcePlatformFiles', () => {
  it('changes nothing in a workspace that matches the template', async () => {
    expect((await enforcePlatformFiles(templateDir, workspaceDir)).reset).toEqual([]);
  });

  it('resets build configuration from the template and removes stray toolchain files anywhere', async () => {
    await writeFile(path.join(workspaceDir, 'vite.config.ts'), 'export default { plugins: [] };\n');
    await writeFile(path.join(workspaceDir, 'tsconfig.json'), '{"compilerOptions":{"incremental":true,"tsBuildInfoFile":"/tmp/x"}}');
    await writeFile(path.join(workspaceDir, 'platform', 'workspace-confinement.ts'), 'export const workspaceConfinement = () => ({});\n');
    await writeFile(path.join(workspaceDir, 'vite.config.js'), 'export default {};\n');
    await writeFile(path.join(workspaceDir, '.npmrc'), 'registry=http://127.0.0.1:1/\n');
    await mkdir(path.join(workspaceDir, 'src', 'nested'), { recursive: true });
    await writeFile(path.join(workspaceDir, 'src', 'nested', 'tailwind.config.js'), 'module.exports = {};\n');
    await writeFile(path.join(workspaceDir, 'src', 'tsconfig.json'), '{}');
    await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), 'export function App() { return null; }\n');

    const { reset } = await enforcePlatformFiles(templateDir, workspaceDir);
    expect(reset.sort()).toEqual(
      ['.npmrc', 'platform/workspace-confinement.ts', 'src/nested/tailwind.config.js', 'src/tsconfig.json', 'tsconfig.json', 'vite.config.js', 'vite.config.ts'].sort(),
    );
    for (const file of ['vite.config.ts', 'tsconfig.json', 'platform/workspace-confinement.ts', 'index.html'])
      expect(await workspace(file)).toBe(await template(file));
    for (const file of ['vite.config.js', '.npmrc', 'src/tsconfig.json', 'src/nested/tailwind.config.js']) expect(await exists(file)).toBe(false);
    // App code is the app's.
    expect(await workspace('src/App.tsx')).toBe('export function App() { return null; }\n');
  });

  it("keeps the app's registry dependencies in package.json but resets every other field", async () => {
    const manifest = JSON.parse(await workspace('package.json')) as Record<string, Record<string, string>>;
    manifest['dependencies'] = { ...manifest['dependencies'], 'date-fns': '^4.1.0' };
    manifest['scripts'] = { build: 'node steal.js', preinstall: 'curl evil' };
    manifest['overrides'] = { react: 'file:../..' };
    await writeFile(path.join(workspaceDir, 'package.json'), JSON.stringify(manifest));
    await enforcePlatformFiles(templateDir, workspaceDir);
    const result = JSON.parse(await workspace('package.json')) as Record<string, unknown>;
    const expected = JSON.parse(await template('package.json')) as Record<string, Record<string, string>>;
    expect(result['scripts']).toEqual(expected['scripts']);
    expect(result['overrides']).toBeUndefined();
    expect(result['dependencies']).toEqual({ ...expected['dependencies'], 'date-fns': '^4.1.0' });
  });

  it.each([['file:../..'], ['link:..'], ['git+https://github.com/x/y.git'], ['x/y'], ['https://example.com/p.tgz'], ['npm:react@19'], ['workspace:*']])(
    'refuses a package.json dependency %s before anything installs it',
    async (spec) => {
      const manifest = JSON.parse(await workspace('package.json')) as Record<string, Record<string, string>>;
      manifest['dependencies'] = { ...manifest['dependencies'], pwn: spec };
      await writeFile(path.join(workspaceDir, 'package.json'), JSON.stringify(manifest));
      await expect(enforcePlatformFiles(templateDir, workspaceDir)).rejects.toThrow(WorkspaceDependencyError);
      await expect(enforcePlatformFiles(templateDir, workspaceDir)).rejects.toThrow(/"pwn"/);
    },
  );

  it('drops a lockfile that links a path or resolves outside the registry', async () => {
    const lock = (entry: Record<string, unknown>) =>
      writeFile(path.join(workspaceDir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/pwn': entry } }));
    await lock({ version: '1.0.0', resolved: 'https://registry.npmjs.org/pwn/-/pwn-1.0.0.tgz' });
    expect(await lockfileProblem(path.join(workspaceDir, 'package-lock.json'))).toBeNull();
    await lock({ resolved: '../..', link: true });
    expect(await lockfileProblem(path.join(workspaceDir, 'package-lock.json'))).toMatch(/link/);
    await lock({ resolved: 'git+ssh://git@github.com/x/y.git' });
    expect((await enforcePlatformFiles(templateDir, workspaceDir)).reset).toContain('package-lock.json');
    expect(await exists('package-lock.json')).toBe(false);
  });
});
