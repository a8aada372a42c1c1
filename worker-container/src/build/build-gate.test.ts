import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../workspace/tool';
import { runBuildGate, withoutNoise, type BuildResult } from './build-gate';
import { createDoneBuildingTool } from './done-building-tool';
import { prepareWorkspace } from './prepare-workspace';
import { templateDependencyCache, templateDir } from './testing/template-cache';
import { stopWarmTypeCheckers } from './warm-type-check';

let root: string;
let workspaceDir: string;
let originalApp: string;
const appPath = () => path.join(workspaceDir, 'src', 'App.tsx');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-build-gate-'));
  workspaceDir = path.join(root, 'app');
  await prepareWorkspace({ templateDir, workspaceDir, cache: await templateDependencyCache() });
  originalApp = await readFile(appPath(), 'utf8');
}, 300_000);

afterAll(async () => {
  stopWarmTypeCheckers();
  await rm(root, { recursive: true, force: true });
});

// Real tsc and vite builds, run in sequence on one workspace: keep this list short.
describe('the build gate on a workspace prepared from the template', { timeout: 120_000 }, () => {
  it('passes for the template as it is and writes dist/index.html', async () => {
    const result = await runBuildGate({ workspaceDir });
    expect(result).toMatchObject({ ok: true, typecheckErrors: '', buildErrors: '' });
    expect((await stat(path.join(workspaceDir, 'dist', 'index.html'))).isFile()).toBe(true);
  });

  it('reports a type error as a typecheck error only', async () => {
    await writeFile(appPath(), `${originalApp}\nexport const count: number = 'three';\n`);
    const result = await runBuildGate({ workspaceDir });
    expect(result.ok).toBe(false);
    expect(result.typecheckErrors).toMatch(/^src\/App\.tsx\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
    expect(result.buildErrors).toBe('');
    expect(result.typecheckErrors).not.toContain(workspaceDir);
  });

  it('reports a syntax error as a build error, trimmed and without colours or stack frames', async () => {
    await writeFile(appPath(), originalApp.replace('export function App() {', 'export function App() {{{ <'));
    const result = await runBuildGate({ workspaceDir });
    expect(result.ok).toBe(false);
    expect(result.buildErrors).toMatch(/src\/App\.tsx/);
    expect(result.buildErrors).not.toContain('\u001b[');
    expect(result.buildErrors).not.toMatch(/^\s+at /m);
    expect(result.buildErrors).not.toContain(workspaceDir);
    expect(result.typecheckErrors).toMatch(/error TS1\d{3}/);
    expect(result.buildErrors.split('\n').length).toBeLessThanOrEqual(61);
  });

  it('passes again once fixed, through done_building, which records the snapshot', async () => {
    await writeFile(appPath(), originalApp.replace('Scratchpad', 'Notes'));
    const finished: BuildResult[] = [];
    const snapshots: string[] = [];
    const tool = createDoneBuildingTool({
      onBuildFinished: (result) => finished.push(result),
      onSuccess: (dir) => {
        snapshots.push(dir);
        return Promise.resolve({ versionId: 'v_7', summary: 'Saved as version 7' });
      },
    });
    const result = await runTool(tool, {}, { workspaceDir });
    expect(result).toMatchObject({ ok: true, summary: 'Saved as version 7' });
    expect(result.output).toMatch(/^Typecheck and build passed in \d+\.\d s\. Saved as version v_7\.\nSaved as version 7$/);
    expect(snapshots).toEqual([workspaceDir]);
    expect(finished).toEqual([expect.objectContaining({ ok: true, typecheckErrors: '', buildErrors: '' })]);
    expect(await readFile(path.join(workspaceDir, 'dist', 'index.html'), 'utf8')).toContain('<div id="root"></div>');
  });
});

describe('the build gate when the run is stopped', () => {
  it('starts neither step and reports both as stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runBuildGate({ workspaceDir, signal: controller.signal });
    expect(result).toMatchObject({ ok: false, typecheckErrors: 'tsc was stopped.', buildErrors: 'vite build was stopped.' });
  });
});

describe('the build gate without installed tools', () => {
  it('reports each missing binary separately and fails without dist/index.html', async () => {
    const bare = path.join(root, 'bare');
    await mkdir(bare);
    const result = await runBuildGate({ workspaceDir: bare });
    expect(result).toMatchObject({
      ok: false,
      typecheckErrors: 'tsc is not installed in the workspace (node_modules/.bin/tsc is missing).',
      buildErrors: 'vite is not installed in the workspace (node_modules/.bin/vite is missing).',
    });
  });

  it('done_building tells the model to fix both kinds of errors', async () => {
    const bare = path.join(root, 'bare-tool');
    await mkdir(bare);
    const result = await runTool(createDoneBuildingTool(), {}, { workspaceDir: bare });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(
      /^The build gate failed\. Fix these errors, then call done_building again\.\n\nTypecheck errors \(tsc --noEmit\):\n.*\n\nBuild errors \(vite build\):\n/,
    );
    expect(result.summary).toMatch(/^Build failed: typecheck and build errors/);
  });
});

describe('withoutNoise', () => {
  it('drops stack frames and the error dump and makes paths workspace-relative', () => {
    const raw =
      'error during build:\n[vite]: failed in /w/app/src/a.tsx\n    at build (file:///w/app/node_modules/vite/x.js:1:2) {\n  errors: [Getter/Setter]\n}';
    expect(withoutNoise(raw, ['/w/app'])).toBe('error during build:\n[vite]: failed in src/a.tsx');
  });
});
