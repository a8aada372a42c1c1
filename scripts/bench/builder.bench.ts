import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prewarmBuildGate, runBuildGate, type BuildResult } from '../../worker-container/src/build/build-gate';
import { ensureDependencyCache } from '../../worker-container/src/build/dependency-cache';
import { npmOutput, quietNpmFlags, runNpm } from '../../worker-container/src/build/npm';
import { isExcludedFromWorkspace, prepareWorkspace } from '../../worker-container/src/build/prepare-workspace';
import { runCommand } from '../../worker-container/src/build/run-command';
import { stopWarmTypeCheckers, warmTypeCheckersReady } from '../../worker-container/src/build/warm-type-check';
import { spareViteBuildsReady, stopSpareViteBuilds } from '../../worker-container/src/build/warm-vite-build';
import { repoRoot } from '../paths';
import type { Bench } from './bench-report';
import { median, repeat, timed } from './measure';

const templateDir = path.join(repoRoot, 'template');

/** Fails the bench on a build that did not pass: a figure of a broken build means nothing. */
async function gate(
  workspaceDir: string,
  processes: 'warm' | 'cold' = 'warm',
): Promise<{ ms: number; steps: NonNullable<BuildResult['steps']> }> {
  const [result, ms] = await timed(() => runBuildGate({ workspaceDir, typeCheck: processes, bundler: processes }));
  if (!result.ok) throw new Error(`build failed:\n${result.typecheckErrors}\n${result.buildErrors}`);
  if (!result.steps || result.steps.typeChecker !== processes || result.steps.bundler !== processes) {
    throw new Error(`the ${processes} type checker and bundler did not both answer: ${JSON.stringify(result.steps)}`);
  }
  return { ms, steps: result.steps };
}

/** What the model writes before its first done_building: a new component, used by App.tsx. */
async function writeFirstApp(workspaceDir: string, repetition: number): Promise<void> {
  await writeFile(
    path.join(workspaceDir, 'src', 'bench-list.tsx'),
    `import { Badge } from '@/components/ui/badge';\n\nexport function BenchList({ items }: { items: readonly string[] }) {\n  return (\n    <ul className="grid gap-2">\n      {items.map((item) => (\n        <li key={item} className="flex items-center gap-2 rounded-md border px-3 py-2">\n          <Badge variant="secondary">${repetition}</Badge>\n          {item}\n        </li>\n      ))}\n    </ul>\n  );\n}\n`,
  );
  const app = path.join(workspaceDir, 'src', 'App.tsx');
  const text = await readFile(app, 'utf8');
  await writeFile(
    app,
    `import { BenchList } from './bench-list';\n${text}\nexport const benchItems = <BenchList items={['one', 'two']} />;\n`,
  );
}

/**
 * The build gate (`done_building`: type check ∥ vite build, in the build sandbox) with the shared
 * dependency cache, as the worker runs it: the workspace is made ready, the worker warms its build
 * processes (a spare Vite build and a first full type check, while the plan awaits acceptance and
 * the model writes), the model writes its first app and builds; then a one-file edit and a
 * follow-up build (the next spare is warm by then: a model turn takes longer than its start), and
 * the same source again with one-shot tsc and vite processes (what every build cost before).
 * Baseline: a cold workspace (npm install with npm's cache warm, then vite build).
 */
/**
 * npm install in a cold workspace. npm (11) has been seen to idle for good after fetching every
 * tarball from its cache; such an install is stopped after 3 minutes (normal: 10–20 s) and tried
 * once more, saying so, so one hang of npm's does not cost the whole bench. Returns the
 * milliseconds of the install that finished (a hung attempt is not part of the figure).
 */
async function coldInstall(dir: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const [install, ms] = await timed(() => runNpm(['install', ...quietNpmFlags, '--prefer-offline'], { cwd: dir, timeoutMs: 180_000 }));
    if (install.exitCode === 0) return ms;
    if (!install.timedOut || attempt === 2) throw new Error(`cold npm install failed:\n${npmOutput(install)}`);
    console.error(`  (cold npm install timed out after ${install.durationMs} ms; trying once more)`);
    await rm(path.join(dir, 'node_modules'), { recursive: true, force: true });
  }
}

export const workspaceBuildsBench: Bench = {
  name: 'build',
  async run(figures) {
    const root = await mkdtemp(path.join(tmpdir(), 'hangar-bench-build-'));
    try {
      const cold = await repeat({ warmups: 1, repetitions: 3 }, async (repetition) => {
        const dir = path.join(root, `cold-${repetition + 10}`);
        await cp(templateDir, dir, { recursive: true, filter: (source) => !isExcludedFromWorkspace(path.basename(source)) });
        const installMs = await coldInstall(dir);
        const [, buildMs] = await timed(async () => {
          const build = await runCommand(path.join(dir, 'node_modules', '.bin', 'vite'), ['build'], { cwd: dir, timeoutMs: 300_000 });
          if (build.exitCode !== 0) throw new Error(build.stderr);
        });
        await rm(dir, { recursive: true, force: true });
        return installMs + buildMs;
      });

      const cache = await ensureDependencyCache({ templateDir, cacheRoot: path.join(root, 'cache') });
      const builds = await repeat({ warmups: 1, repetitions: 4 }, async (repetition) => {
        const workspaceDir = path.join(root, 'workspaces', `app-${repetition + 10}`);
        const [, readyMs] = await timed(() => prepareWorkspace({ templateDir, workspaceDir, cache }));
        const [, warmUpMs] = await timed(async () => {
          await prewarmBuildGate({ workspaceDir });
          await Promise.all([spareViteBuildsReady(), warmTypeCheckersReady()]);
        });
        await writeFirstApp(workspaceDir, repetition + 10);
        const first = await gate(workspaceDir);
        // A follow-up edit to one file, as the agent makes after the first build.
        await appendFile(path.join(workspaceDir, 'src', 'App.tsx'), `\nexport const benchEdit${repetition + 10} = ${repetition + 10};\n`);
        await spareViteBuildsReady();
        const followUp = await gate(workspaceDir);
        const coldFollowUp = await gate(workspaceDir, 'cold');
        return { readyMs, warmUpMs, firstMs: first.ms, first, followUpMs: followUp.ms, followUp, coldFollowUp };
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
        name: 'build.warm_up_ms',
        unit: 'ms',
        description: "the worker's warm-up once the workspace is ready: a spare Vite build warm, and a first full type check",
        samples: builds.map((each) => each.warmUpMs),
      });
      figures.record({
        name: 'build.first_done_building_ms',
        unit: 'ms',
        description: 'first build gate of a new app after the model wrote it (complete type check ∥ vite build by the spare, sandboxed)',
        samples: builds.map((each) => each.firstMs),
        target: { at_most: 1500 },
      });
      figures.record({
        name: 'build.follow_up_cold_done_building_ms',
        unit: 'ms',
        description: 'the same follow-up source built again by one-shot tsc and vite build processes',
        samples: builds.map((each) => each.coldFollowUp.ms),
      });
      figures.record({
        name: 'build.follow_up_done_building_ms',
        unit: 'ms',
        description: 'build gate again after a one-file edit in the same workspace (warm type checker, spare Vite build)',
        samples: builds.map((each) => each.followUpMs),
        baseline: 'build.first_done_building_ms',
        target: { at_most: 600 },
      });
      figures.record({
        name: 'build.follow_up_speedup_vs_cold_rebuild',
        unit: 'ratio',
        description: 'follow-up build gate: one-shot processes ÷ warm ones, same source',
        samples: builds.map((each) => each.coldFollowUp.ms / each.followUp.ms),
        baseline: 'build.follow_up_cold_done_building_ms',
      });
      figures.record({
        name: 'build.follow_up_typecheck_cold_ms',
        unit: 'ms',
        description: 'the type check step alone of that follow-up: one-shot tsc --noEmit',
        samples: builds.map((each) => each.coldFollowUp.steps.typecheckMs),
      });
      figures.record({
        name: 'build.follow_up_typecheck_warm_ms',
        unit: 'ms',
        description: 'the type check step alone of that follow-up: the warm checker (only what the edit affects)',
        samples: builds.map((each) => each.followUp.steps.typecheckMs),
        baseline: 'build.follow_up_typecheck_cold_ms',
      });
      figures.record({
        name: 'build.follow_up_vite_build_cold_ms',
        unit: 'ms',
        description: 'the vite build step alone of that follow-up by a one-shot vite build process',
        samples: builds.map((each) => each.coldFollowUp.steps.buildMs),
      });
      figures.record({
        name: 'build.follow_up_vite_build_ms',
        unit: 'ms',
        description: 'the vite build step alone of the warm follow-up (the spare)',
        samples: builds.map((each) => each.followUp.steps.buildMs),
        baseline: 'build.follow_up_vite_build_cold_ms',
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
      stopWarmTypeCheckers();
      stopSpareViteBuilds();
      await rm(root, { recursive: true, force: true });
    }
  },
};
