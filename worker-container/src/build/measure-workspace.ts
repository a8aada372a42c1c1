/**
 * Measures workspace preparation: `npx tsx worker-container/src/build/measure-workspace.ts`.
 * Prints a cold `npm install` of the template, the linking alternatives, the cost of adding a
 * package under each, prepareWorkspace's ready time and the done_building gate. Never run in tests.
 */
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBuildGate } from './build-gate';
import { ensureDependencyCache } from './dependency-cache';
import { hardlinkTree } from './hardlink-tree';
import { quietNpmFlags, runNpm } from './npm';
import { isExcludedFromWorkspace, prepareWorkspace } from './prepare-workspace';
import { childEnvironment, runCommand } from './run-command';

const templateDir = path.resolve(import.meta.dirname, '../../../template');
const root = await mkdtemp(path.join(tmpdir(), 'hangar-measure-'));
const rows: Array<[string, number]> = [];

async function time<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await action();
  rows.push([label, performance.now() - started]);
  return result;
}

async function copyTemplate(target: string): Promise<void> {
  await cp(templateDir, target, { recursive: true, filter: (source) => !isExcludedFromWorkspace(path.basename(source)) });
}

async function npmInstall(cwd: string, extra: string[] = []): Promise<void> {
  const outcome = await runNpm(['install', ...quietNpmFlags, '--prefer-offline', ...extra], { cwd, timeoutMs: 600_000 });
  if (outcome.exitCode !== 0) throw new Error(`npm install failed in ${cwd}: ${outcome.stderr}`);
}

try {
  const cold = path.join(root, 'cold');
  await copyTemplate(cold);
  await time('cold npm install of the template (npm cache warm, --prefer-offline)', () => npmInstall(cold));

  const cacheRoot = path.join(root, 'cache');
  const cache = await time('ensureDependencyCache, first call (installs)', () => ensureDependencyCache({ templateDir, cacheRoot }));
  await time('ensureDependencyCache, second call (reuses)', () => ensureDependencyCache({ templateDir, cacheRoot }));

  for (let index = 0; index < 3; index += 1) {
    const target = path.join(root, `link-cp-${index}`);
    await mkdir(target);
    await time(`link: cp -al of node_modules (#${index + 1})`, () => hardlinkTree(cache.nodeModulesDir, path.join(target, 'node_modules')));
  }
  await mkdir(path.join(root, 'link-node'));
  await time('link: hard-link walk in Node', () =>
    hardlinkTree(cache.nodeModulesDir, path.join(root, 'link-node', 'node_modules'), 'node'),
  );
  await mkdir(path.join(root, 'link-symlink'));
  await time('link: symlink', () => symlink(cache.nodeModulesDir, path.join(root, 'link-symlink', 'node_modules')));

  // Parent-directory node_modules: the workspace has none of its own, so adding one package makes
  // npm install every template dependency into the workspace.
  const parentWorkspace = path.join(cache.directory, 'workspaces', 'parent');
  await copyTemplate(parentWorkspace);
  await time('add a package, parent-directory node_modules (npm install ms)', () => npmInstall(parentWorkspace, ['ms@2.1.3']));
  await rm(path.join(cache.directory, 'workspaces'), { recursive: true, force: true });

  const workspaces: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    const workspaceDir = path.join(root, 'workspaces', `app-${index}`);
    workspaces.push(workspaceDir);
    await time(`prepareWorkspace, new workspace ready (#${index + 1})`, () => prepareWorkspace({ templateDir, workspaceDir, cache }));
  }
  const [first = '', second = ''] = workspaces;
  await time('add a package, hard-link workspace (npm install ms)', () => npmInstall(second, ['ms@2.1.3']));
  const node = (script: string, args: string[]) =>
    runCommand(process.execPath, [path.join(first, 'node_modules', script), ...args], {
      cwd: first,
      timeoutMs: 120_000,
      env: childEnvironment(),
    });
  await time('tsc --noEmit alone', () => node('typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']));
  await time('vite build alone', () => node('vite/bin/vite.js', ['build', '--logLevel', 'error']));
  for (let index = 0; index < 3; index += 1) {
    const result = await time(`done_building gate (tsc ∥ vite build) #${index + 1}`, () => runBuildGate({ workspaceDir: first }));
    if (!result.ok) throw new Error(`build failed:\n${result.typecheckErrors}\n${result.buildErrors}`);
  }

  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, milliseconds] of rows) console.log(`${label.padEnd(width)}  ${(milliseconds / 1000).toFixed(3)} s`);
} finally {
  if (!process.argv.includes('--keep')) await rm(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
