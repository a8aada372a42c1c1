import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuildGate } from './build-gate';
import { unconfinedSandbox } from './build-sandbox';
import { prepareWorkspace } from './prepare-workspace';
import { templateDependencyCache, templateDir } from './testing/template-cache';

/**
 * The platform's Vite plugin (template/platform/workspace-confinement.ts) on its own: real Vite
 * builds with no sandbox around them, so only the plugin stands between an import and a host file.
 */
let root: string;
let workspaceDir: string;
const secret = 'host-secret-7f3a9c';
const templateCss = await readFile(path.join(templateDir, 'src', 'index.css'), 'utf8');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-confinement-'));
  await writeFile(path.join(root, 'session-secret'), secret);
  workspaceDir = path.join(root, 'workspaces', 'app');
  await prepareWorkspace({ templateDir, workspaceDir, cache: await templateDependencyCache() });
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Everything the build wrote into dist/, concatenated. */
async function distText(): Promise<string> {
  const files = await readdir(path.join(workspaceDir, 'dist'), { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(
    files.filter((file) => file.isFile()).map((file) => readFile(path.join(file.parentPath, file.name), 'utf8')),
  );
  return texts.join('\n');
}

const app = (header: string, use: string) => `${header}\nexport function App() {\n  return <main>{String(${use})}</main>;\n}\n`;

describe('workspace confinement plugin', () => {
  it.each([
    ['?raw, relative', app("import secret from '../../../session-secret?raw';", 'secret'), null],
    ['?raw, absolute', app(`import secret from 'ROOT/session-secret?raw';`, 'secret'), null],
    ['?url', app(`import secret from 'ROOT/session-secret?url';`, 'secret'), null],
    ['?inline', app(`import secret from 'ROOT/session-secret?inline';`, 'secret'), null],
    ['new URL(…, import.meta.url)', app("const secret = new URL('../../../session-secret', import.meta.url);", 'secret'), null],
    ['CSS @import', null, `@import "../../../session-secret";\n${templateCss}`],
    ['CSS url()', null, `${templateCss}\n.leak { background: url("../../../session-secret"); }\n`],
  ])(
    'refuses %s of a host file, and nothing of it reaches dist/',
    async (_name, source, css) => {
      await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), (source ?? app('', '1')).replace('ROOT', root));
      await writeFile(path.join(workspaceDir, 'src', 'index.css'), css ?? templateCss);
      const result = await runBuildGate({ workspaceDir, templateDir, sandbox: unconfinedSandbox('plugin test') });
      expect(result.ok).toBe(false);
      expect(result.buildErrors).toMatch(/resolves outside the app workspace/);
      expect(await distText()).not.toContain(secret);
    },
    120_000,
  );

  it.each([
    ['a module', "import secret from './leak.ts';", 'leak.ts'],
    ['?raw', "import secret from './leak.txt?raw';", 'leak.txt'],
  ])(
    'refuses %s that is a symlink to a host file (resolution follows links, so the id is outside)',
    async (_name, header, linkName) => {
      const link = path.join(workspaceDir, 'src', linkName);
      await rm(link, { force: true });
      await symlink(path.join(root, 'session-secret'), link);
      try {
        await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), app(header, 'secret'));
        await writeFile(path.join(workspaceDir, 'src', 'index.css'), templateCss);
        const result = await runBuildGate({ workspaceDir, templateDir, sandbox: unconfinedSandbox('plugin test') });
        expect(result.ok).toBe(false);
        expect(result.buildErrors).toMatch(/resolves outside the app workspace/);
        expect(result.buildErrors).not.toContain(secret);
        expect(await distText()).not.toContain(secret);
      } finally {
        await rm(link, { force: true });
      }
    },
    120_000,
  );

  it('builds an app that only reads its own files and installed packages', async () => {
    await writeFile(path.join(workspaceDir, 'src', 'note.txt'), 'inside');
    await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), app("import note from './note.txt?raw';", 'note'));
    await writeFile(path.join(workspaceDir, 'src', 'index.css'), templateCss);
    const result = await runBuildGate({ workspaceDir, templateDir, sandbox: unconfinedSandbox('plugin test') });
    expect(result.buildErrors).toBe('');
    expect(result.ok).toBe(true);
    expect(await distText()).toContain('inside');
  }, 120_000);
});
