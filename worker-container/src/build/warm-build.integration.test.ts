import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prewarmBuildGate, runBuildGate, type BuildResult } from './build-gate';
import { defaultBuildSandbox, unconfinedSandbox, type BuildSandbox } from './build-sandbox';
import { prepareWorkspace } from './prepare-workspace';
import { templateDependencyCache, templateDir } from './testing/template-cache';
import { stopWarmTypeCheckers, warmTypeCheckers, warmTypeCheckersReady } from './warm-type-check';
import { spareViteBuilds, spareViteBuildsReady, stopSpareViteBuilds } from './warm-vite-build';

let root: string;
let workspaceDir: string;
let outsideFile: string;
let sandbox: BuildSandbox;
const original = new Map<string, string>();
const file = (relative: string) => path.join(workspaceDir, relative);
const edit = async (relative: string, change: (text: string) => string) =>
  writeFile(file(relative), change(await readFile(file(relative), 'utf8')));

/** Every file of dist/ with its sha256: the build output to compare. */
async function distHashes(): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(workspaceDir, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      else
        hashes[child] = createHash('sha256')
          .update(await readFile(path.join(workspaceDir, child)))
          .digest('hex');
    }
  };
  await walk('dist');
  return hashes;
}

/** The text of dist/'s files whose names end with `suffix`. */
async function distText(suffix: string): Promise<string> {
  const names = Object.keys(await distHashes()).filter((name) => name.endsWith(suffix));
  return (await Promise.all(names.map((name) => readFile(path.join(workspaceDir, name), 'utf8')))).join('\n');
}

/**
 * The same workspace built by the app's warm checker and spare Vite build, then by a one-shot tsc
 * and a one-shot `vite build`: what each reported and wrote.
 */
async function warmThenCold(options: { resetPlatformFiles?: boolean; spare?: boolean } = {}) {
  const platform = options.resetPlatformFiles === false ? {} : { templateDir };
  const spare = spareViteBuilds()[0];
  const warm = await runBuildGate({ workspaceDir, ...platform, sandbox });
  const warmDist = await distHashes();
  const cold = await runBuildGate({ workspaceDir, ...platform, sandbox, typeCheck: 'cold', bundler: 'cold' });
  const coldDist = await distHashes();
  const reported = (result: BuildResult) => ({ ok: result.ok, typecheckErrors: result.typecheckErrors, buildErrors: result.buildErrors });
  expect(warm.steps?.typeChecker).toBe('warm');
  expect(warm.steps?.bundler).toBe(options.spare === false ? 'cold' : 'warm');
  expect(cold.steps).toMatchObject({ typeChecker: 'cold', bundler: 'cold' });
  // A spare builds once: the one that built is gone, and a new one waits for the next build.
  if (spare?.pid !== undefined) expect(() => process.kill(spare.pid ?? 0, 0)).toThrow();
  expect(spareViteBuilds()).toEqual([expect.objectContaining({ workspaceDir })]);
  expect(spareViteBuilds()[0]?.pid).not.toBe(spare?.pid);
  expect(reported(warm)).toEqual(reported(cold));
  expect(warmDist).toEqual(coldDist);
  if (warm.ok) expect(Object.keys(warmDist)).toContain('dist/index.html');
  return { warm, checkers: warmTypeCheckers() };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-warm-build-'));
  workspaceDir = path.join(root, 'workspaces', 'app');
  outsideFile = path.join(root, 'outside.d.ts');
  await writeFile(outsideFile, 'declare const outsideSecret: "top-secret";\n');
  await prepareWorkspace({ templateDir, workspaceDir, cache: await templateDependencyCache() });
  for (const relative of ['src/App.tsx', 'src/components/ui/empty-state.tsx'])
    original.set(relative, await readFile(file(relative), 'utf8'));
  sandbox = await defaultBuildSandbox();
  // What the worker does once the workspace is ready: a spare Vite build and a first full check.
  await prewarmBuildGate({ workspaceDir, sandbox });
  await Promise.all([spareViteBuildsReady(), warmTypeCheckersReady()]);
}, 300_000);

afterAll(async () => {
  stopWarmTypeCheckers();
  stopSpareViteBuilds();
  await rm(root, { recursive: true, force: true });
});

// Real tsc, the warm checker and vite builds in the build sandbox, one workspace, in sequence.
describe('warm and cold builds of the same app', { timeout: 300_000 }, () => {
  it('the first build is complete: the template passes, the same as a cold build', async () => {
    const { warm, checkers } = await warmThenCold();
    expect(warm.ok).toBe(true);
    // The warm-up at workspace ready answers nothing: this build's check is the first answer.
    expect(checkers).toEqual([expect.objectContaining({ checks: 1 })]);
  });

  it('bundling errors (a syntax error, a missing module) are reported by the spare exactly as by a one-shot vite build', async () => {
    await writeFile(file('src/broken.tsx'), 'export function Broken() {\n  return <main>{</main>;\n}\n');
    await edit(
      'src/App.tsx',
      (text) =>
        `import { Broken } from './broken';\nimport { missing } from './not-there';\n${text}\nexport const uses = [Broken, missing];\n`,
    );
    try {
      const { warm } = await warmThenCold();
      expect(warm.ok).toBe(false);
      expect(warm.buildErrors).toMatch(/error during build/);
      expect(warm.buildErrors).toMatch(/Could not resolve '\.\/not-there' in src\/App\.tsx/);
    } finally {
      await rm(file('src/broken.tsx'));
      await writeFile(file('src/App.tsx'), original.get('src/App.tsx') ?? '');
    }
    const fixed = await warmThenCold();
    expect(fixed.warm.ok).toBe(true);
  });

  it("code an app's build runs (a Tailwind plugin) ends with that build: it cannot reach the next one", async () => {
    // The app's plugin keeps writing into dist/ for as long as its process lives.
    await writeFile(
      file('src/poison.js'),
      "import { writeFileSync } from 'node:fs';\nsetInterval(() => { try { writeFileSync(new URL('../dist/poisoned.txt', import.meta.url), 'poisoned'); } catch {} }, 5);\nexport default function plugin({ addBase }) {\n  addBase({ body: { '--hangar-poisoned': '1' } });\n}\n",
    );
    const css = await readFile(file('src/index.css'), 'utf8');
    await writeFile(file('src/index.css'), `${css}\n@plugin "./poison.js";\n`);
    try {
      const poisoned = await runBuildGate({ workspaceDir, templateDir, sandbox });
      expect(poisoned).toMatchObject({ ok: true, steps: { bundler: 'warm' } });
      // It ran: its style is in this build's stylesheet.
      expect(await distText('.css')).toContain('--hangar-poisoned');
    } finally {
      await writeFile(file('src/index.css'), css);
      await rm(file('src/poison.js'));
    }
    await spareViteBuildsReady();
    const next = await runBuildGate({ workspaceDir, templateDir, sandbox });
    expect(next).toMatchObject({ ok: true, steps: { bundler: 'warm' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Object.keys(await distHashes())).not.toContain('dist/poisoned.txt');
    expect(await distText('.css')).not.toContain('--hangar-poisoned');
  });

  it('after a warm build, errors the edit causes anywhere are reported exactly as a cold build reports them', async () => {
    const [before] = warmTypeCheckers();
    // A changed component breaks App.tsx, which was not edited: the warm checker must re-check what depends on it.
    await edit('src/components/ui/empty-state.tsx', (text) => text.replace('  title: ReactNode;', '  heading: ReactNode;'));
    // A new file with its own error, a package that is not installed, and a host file outside the workspace.
    await writeFile(
      file('src/extra.ts'),
      `/// <reference path="${outsideFile}" />\nimport pad from 'left-pad-hangar';\nexport const padded: number = pad('x');\nexport const wrong: string = 42;\n`,
    );
    const { warm, checkers } = await warmThenCold();
    expect(warm.ok).toBe(false);
    expect(warm.typecheckErrors).toMatch(/^src\/App\.tsx\(\d+,\d+\): error TS2322: /m);
    expect(warm.typecheckErrors).toMatch(/^src\/extra\.ts\(\d+,\d+\): error TS2307: Cannot find module 'left-pad-hangar'/m);
    expect(warm.typecheckErrors).toMatch(/^src\/extra\.ts\(4,14\): error TS2322: Type 'number' is not assignable to type 'string'\.$/m);
    if (sandbox.mode === 'bubblewrap') expect(warm.typecheckErrors).toMatch(/error TS6053: File '.*outside\.d\.ts' not found/);
    expect(warm.typecheckErrors).not.toContain('top-secret');
    // The same process answered, with what it kept from the first build.
    expect(checkers).toEqual([expect.objectContaining({ pid: before?.pid, checks: (before?.checks ?? 0) + 1 })]);
  });

  it('a package installed since the last build is found by the warm checker, as by a cold one', async () => {
    await mkdir(file('node_modules/left-pad-hangar'), { recursive: true });
    await writeFile(
      file('node_modules/left-pad-hangar/package.json'),
      JSON.stringify({ name: 'left-pad-hangar', version: '1.0.0', types: 'index.d.ts' }),
    );
    await writeFile(file('node_modules/left-pad-hangar/index.d.ts'), 'export default function pad(text: string): string;\n');
    await writeFile(file('node_modules/left-pad-hangar/index.js'), 'export default (text) => text;\n');
    const { warm } = await warmThenCold();
    expect(warm.typecheckErrors).not.toContain('TS2307');
    expect(warm.typecheckErrors).toMatch(/^src\/extra\.ts\(3,14\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
  });

  it("a dependency's declaration that changed since is read again by the warm checker, as by a cold one", async () => {
    // What another version of the package would install: the same path, other types. The warm
    // checker knows a dependency's file by its stat identity, which any write changes.
    await writeFile(file('node_modules/left-pad-hangar/index.d.ts'), 'export default function pad(text: string): number;\n');
    const { warm } = await warmThenCold();
    expect(warm.typecheckErrors).not.toMatch(/^src\/extra\.ts\(3,/m);
    expect(warm.typecheckErrors).toMatch(/^src\/extra\.ts\(4,14\): error TS2322: /m);
    // Rewritten with the very same text: still the same answer.
    await writeFile(file('node_modules/left-pad-hangar/index.d.ts'), 'export default function pad(text: string): number;\n');
    const again = await warmThenCold();
    expect(again.warm.typecheckErrors).toBe(warm.typecheckErrors);
  });

  it('once fixed, warm and cold are both clean with the same dist, also after the workspace directory was replaced', async () => {
    for (const [relative, text] of original) await writeFile(file(relative), text);
    await rm(file('src/extra.ts'));
    const [before] = warmTypeCheckers();
    const fixed = await warmThenCold();
    expect(fixed.warm.ok).toBe(true);
    expect(fixed.checkers).toEqual([expect.objectContaining({ pid: before?.pid, checks: (before?.checks ?? 0) + 1 })]);

    // Healing replaces the directory: a checker whose sandbox still sees the old one is not asked again.
    await rename(workspaceDir, `${workspaceDir}-old`);
    await mkdir(workspaceDir);
    for (const entry of await readdir(`${workspaceDir}-old`))
      await rename(path.join(`${workspaceDir}-old`, entry), path.join(workspaceDir, entry));
    await edit('src/App.tsx', (text) => `${text}\nexport const afterReplace: number = 'no';\n`);
    const replaced = await warmThenCold({ spare: false });
    expect(replaced.warm.typecheckErrors).toMatch(
      /^src\/App\.tsx\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m,
    );
    expect(replaced.checkers).toEqual([expect.objectContaining({ checks: 1 })]);
    expect(replaced.checkers[0]?.pid).not.toBe(before?.pid);
  });

  it('a changed tsconfig is applied by the warm checker as by a cold one (it starts over)', async () => {
    await writeFile(file('src/loose.ts'), 'export function loose(value) {\n  return value;\n}\n');
    const strict = await warmThenCold();
    expect(strict.warm.typecheckErrors).toMatch(
      /^src\/loose\.ts\(1,23\): error TS7006: Parameter 'value' implicitly has an 'any' type\.$/m,
    );
    // Not through the platform's reset (which restores the template's tsconfig before every real build).
    await edit('tsconfig.json', (text) => text.replace('"strict": true', '"strict": false'));
    const loose = await warmThenCold({ resetPlatformFiles: false });
    expect(loose.warm.typecheckErrors).not.toContain('TS7006');
    await rm(file('src/loose.ts'));
    await warmThenCold();
    expect(await readFile(file('tsconfig.json'), 'utf8')).toContain('"strict": true');
  });

  it('when the warm checker cannot answer, the one-shot tsc does, with the same errors', async () => {
    // A checker that dies at once, like one killed by the kernel mid-check.
    const unconfined = unconfinedSandbox('test');
    const dying: BuildSandbox = {
      ...unconfined,
      confine: (request) =>
        request.args.includes('--input-type=module')
          ? Promise.resolve({ file: process.execPath, args: ['-e', 'process.exit(3)'], env: request.env })
          : unconfined.confine(request),
    };
    const result = await runBuildGate({ workspaceDir, templateDir, sandbox: dying });
    expect(result.steps?.typeChecker).toBe('cold');
    expect(result.typecheckErrors).toMatch(/^src\/App\.tsx\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
    expect(warmTypeCheckers().filter((checker) => checker.checks === 0)).toEqual([]);
  });
});
