import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBuildGate } from '../../worker-container/src/build/build-gate';
import { ensureDependencyCache } from '../../worker-container/src/build/dependency-cache';
import { quietNpmFlags, runNpm } from '../../worker-container/src/build/npm';
import { isExcludedFromWorkspace, prepareWorkspace } from '../../worker-container/src/build/prepare-workspace';
import { runCommand } from '../../worker-container/src/build/run-command';
import { repoRoot } from '../paths';
import type { Bench } from './bench-report';
import { median, repeat, timed } from './measure';

const templateDir = path.join(repoRoot, 'template');

/** Fails the bench on a build that did not pass: a figure of a broken build means nothing. */
async function gate(workspaceDir: string): Promise<number> {
  const [result, ms] = await timed(() => runBuildGate({ workspaceDir }));
  if (!result.ok) throw new Error(`build failed:\n${result.typecheckErrors}\n${result.buildErrors}`);
  return ms;
}

/**
 * The build gate (`done_building`: tsc ∥ vite build) of the template app with the shared
 * dependency cache: a new workspace's first build, and a follow-up build after a one-file edit
 * in the same workspace. Baseline: a cold workspace (npm install with npm's cache warm, then
 * vite build), what a build costs without the cache.
 */
export const workspaceBuildsBench: Bench = {
  name: 'build',
  async run(figures) {
    const root = await mkdtemp(path.join(tmpdir(), 'hangar-bench-build-'));
    try {
      const cold = await repeat({ warmups: 1, repetitions: 3 }, async (repetition) => {
        const dir = path.join(root, `cold-${repetition + 10}`);
        await cp(templateDir, dir, { recursive: true, filter: (source) => !isExcludedFromWorkspace(path.basename(source)) });
        const [, ms] = await timed(async () => {
          const install = await runNpm(['install', ...quietNpmFlags, '--prefer-offline'], { cwd: dir, timeoutMs: 600_000 });
          if (install.exitCode !== 0) throw new Error(install.stderr);
          const build = await runCommand(path.join(dir, 'node_modules', '.bin', 'vite'), ['build'], { cwd: dir, timeoutMs: 300_000 });
          if (build.exitCode !== 0) throw new Error(build.stderr);
        });
        await rm(dir, { recursive: true, force: true });
        return ms;
      });

      const cache = await ensureDependencyCache({ templateDir, cacheRoot: path.join(root, 'cache') });
      const builds = await repeat({ warmups: 1, repetitions: 4 }, async (repetition) => {
        const workspaceDir = path.join(root, 'workspaces', `app-${repetition + 10}`);
        const [, readyMs] = await timed(() => prepareWorkspace({ templateDir, workspaceDir, cache }));
        const firstMs = await gate(workspaceDir);
        // A follow-up edit to one file, as the agent makes after the first build.
        await appendFile(path.join(workspaceDir, 'src', 'App.tsx'), `\nexport const benchEdit${repetition + 10} = ${repetition + 10};\n`);
        const followUpMs = await gate(workspaceDir);
        return { readyMs, firstMs, followUpMs };
      });

      figures.record({
        name: 'build.cold_install_and_build_ms',
        unit: 'ms',
        description: 'cold workspace: npm install (npm cache warm, --prefer-offline) + vite build',
        samples: cold,
      });
      figures.record({
        name: 'build.workspace_ready_ms',
        unit: 'ms',
        description: 'a new workspace ready to build from the shared dependency cache',
        samples: builds.map((each) => each.readyMs),
      });
      figures.record({
        name: 'build.first_done_building_ms',
        unit: 'ms',
        description: 'first build gate of a new workspace (tsc --noEmit ∥ vite build)',
        samples: builds.map((each) => each.firstMs),
        target: { at_most: 1500 },
      });
      figures.record({
        name: 'build.follow_up_done_building_ms',
        unit: 'ms',
        description: 'build gate again after a one-file edit in the same workspace',
        samples: builds.map((each) => each.followUpMs),
        baseline: 'build.first_done_building_ms',
        target: { at_most: 600 },
      });
      const coldMedian = median(cold);
      figures.record({
        name: 'build.speedup_vs_cold',
        unit: 'ratio',
        description: 'cold install + build ÷ (workspace ready + first build gate)',
        samples: builds.map((each) => coldMedian / (each.readyMs + each.firstMs)),
        baseline: 'build.cold_install_and_build_ms',
        target: { at_least: 5 },
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
