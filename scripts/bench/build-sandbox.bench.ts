import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBuildGate } from '../../worker-container/src/build/build-gate';
import { detectBuildSandbox, unconfinedSandbox, type BuildSandbox } from '../../worker-container/src/build/build-sandbox';
import { ensureDependencyCache } from '../../worker-container/src/build/dependency-cache';
import { prepareWorkspace } from '../../worker-container/src/build/prepare-workspace';
import { stopWarmTypeCheckers } from '../../worker-container/src/build/warm-type-check';
import { repoRoot } from '../paths';
import { format, percentile, printTable } from './measure';

const templateDir = path.join(repoRoot, 'template');
const rounds = 5;

/** The figures this bench reports, by name (milliseconds, p50 over the rounds; the ratio is sandboxed / unsandboxed). */
export interface BuildSandboxFigures {
  'build.sandboxed_done_building_ms': number;
  'build.unsandboxed_done_building_ms': number;
  'build.sandbox_overhead_ratio': number;
}

/**
 * The cost of confining the build: the same done_building gate (platform files reset, tsc ∥ vite
 * build) on the same template workspace, alternately inside the build sandbox and without it, in
 * one run. Both use the scrubbed build environment; only the confinement differs.
 */
export async function benchBuildSandbox(): Promise<BuildSandboxFigures | null> {
  const sandbox = await detectBuildSandbox({ log: () => undefined });
  if (sandbox.mode === 'unconfined') {
    console.log(`\nBuild sandbox: skipped, no sandbox on this machine (${sandbox.description})`);
    return null;
  }
  const root = await mkdtemp(path.join(tmpdir(), 'hangar-bench-sandbox-'));
  try {
    const cache = await ensureDependencyCache({ templateDir, cacheRoot: path.join(root, 'cache') });
    const workspaceDir = path.join(root, 'workspaces', 'app');
    await prepareWorkspace({ templateDir, workspaceDir, cache });
    const gate = async (chosen: BuildSandbox) => {
      const started = performance.now();
      const result = await runBuildGate({ workspaceDir, templateDir, sandbox: chosen, env: { VITE_HANGAR_APP_NAME: 'Bench' } });
      if (!result.ok) throw new Error(`build failed (${chosen.mode}):\n${result.typecheckErrors}\n${result.buildErrors}`);
      return performance.now() - started;
    };
    const unconfined = unconfinedSandbox('bench baseline');
    // Warm-up of both paths (file cache, the sandbox's first mount), then interleaved rounds so load spikes hit both.
    await gate(sandbox);
    await gate(unconfined);
    const sandboxed: number[] = [];
    const unsandboxed: number[] = [];
    for (let round = 0; round < rounds; round++) {
      sandboxed.push(await gate(sandbox));
      unsandboxed.push(await gate(unconfined));
    }
    const figures: BuildSandboxFigures = {
      'build.sandboxed_done_building_ms': Math.round(percentile(sandboxed, 50)),
      'build.unsandboxed_done_building_ms': Math.round(percentile(unsandboxed, 50)),
      'build.sandbox_overhead_ratio': percentile(sandboxed, 50) / percentile(unsandboxed, 50),
    };
    printTable(`Build sandbox (${sandbox.mode}), template app, ${rounds} interleaved rounds`, [
      [
        'build.sandboxed_done_building_ms',
        `p50 ${format(figures['build.sandboxed_done_building_ms'], 0)} ms, max ${format(Math.max(...sandboxed), 0)} ms`,
      ],
      [
        'build.unsandboxed_done_building_ms',
        `p50 ${format(figures['build.unsandboxed_done_building_ms'], 0)} ms, max ${format(Math.max(...unsandboxed), 0)} ms`,
      ],
      ['build.sandbox_overhead_ratio (sandboxed / unsandboxed)', `${format(figures['build.sandbox_overhead_ratio'], 2)}×`],
    ]);
    return figures;
  } finally {
    stopWarmTypeCheckers();
    await rm(root, { recursive: true, force: true });
  }
}
