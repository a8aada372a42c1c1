import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBuildGate } from '../../worker-container/src/build/build-gate';
import { ensureDependencyCache } from '../../worker-container/src/build/dependency-cache';
import { quietNpmFlags, runNpm } from '../../worker-container/src/build/npm';
import { isExcludedFromWorkspace, prepareWorkspace } from '../../worker-container/src/build/prepare-workspace';
import { runCommand } from '../../worker-container/src/build/run-command';
import { repoRoot } from '../paths';
import { format, percentile, printTable } from './measure';

const templateDir = path.join(repoRoot, 'template');

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, performance.now() - started];
}

/** Workspace readiness and the build gate with the shared dependency cache, against a cold install + build. */
export async function benchWorkspaceBuilds(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'hangar-bench-build-'));
  try {
    // Baseline: what a workspace costs without the cache — npm install (npm's own cache warm) then vite build.
    const cold = path.join(root, 'cold');
    await cp(templateDir, cold, { recursive: true, filter: (source) => !isExcludedFromWorkspace(path.basename(source)) });
    const [, coldInstall] = await timed(async () => {
      const outcome = await runNpm(['install', ...quietNpmFlags, '--prefer-offline'], { cwd: cold, timeoutMs: 600_000 });
      if (outcome.exitCode !== 0) throw new Error(outcome.stderr);
    });
    const [, coldBuild] = await timed(async () => {
      const outcome = await runCommand(path.join(cold, 'node_modules', '.bin', 'vite'), ['build'], { cwd: cold, timeoutMs: 300_000 });
      if (outcome.exitCode !== 0) throw new Error(outcome.stderr);
    });

    const cache = await ensureDependencyCache({ templateDir, cacheRoot: path.join(root, 'cache') });
    const ready: number[] = [];
    const gate: number[] = [];
    for (let index = 0; index < 5; index++) {
      const workspaceDir = path.join(root, 'workspaces', `app-${index}`);
      const [, readyMs] = await timed(() => prepareWorkspace({ templateDir, workspaceDir, cache }));
      ready.push(readyMs);
      const [result, gateMs] = await timed(() => runBuildGate({ workspaceDir }));
      if (!result.ok) throw new Error(`build failed:\n${result.typecheckErrors}\n${result.buildErrors}`);
      gate.push(gateMs);
    }
    const warm = percentile(ready, 50) + percentile(gate, 50);
    printTable('Workspace builds (template app), 5 workspaces', [
      ['workspace ready to build (shared cache)', `p50 ${format(percentile(ready, 50), 0)} ms, max ${format(Math.max(...ready), 0)} ms`],
      ['done_building: tsc ∥ vite build', `p50 ${format(percentile(gate, 50), 0)} ms, max ${format(Math.max(...gate), 0)} ms`],
      ['  ready + done_building', `${format(warm, 0)} ms`],
      [
        '  baseline: cold npm install + vite build',
        `${format(coldInstall + coldBuild, 0)} ms (install ${format(coldInstall, 0)} + build ${format(coldBuild, 0)})`,
      ],
      ['  ratio cold / warm', `${format((coldInstall + coldBuild) / warm, 1)}×`],
      ['  ratio cold install / workspace ready', `${format(coldInstall / percentile(ready, 50), 0)}×`],
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
