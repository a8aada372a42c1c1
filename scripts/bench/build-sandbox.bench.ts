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

/** Each round's milliseconds on both sides (alternating), and each round's ratio sandboxed / unsandboxed. */
export interface BuildSandboxRounds {
  sandboxed: number[];
  unsandboxed: number[];
  ratios: number[];
}

/**
 * The cost of confining the build: the same done_building gate (platform files reset, tsc ∥ vite
 * build) on the same template workspace, alternately inside the build sandbox and without it, in
 * one run. Both use the scrubbed build environment and one-shot tsc and vite processes (a warm
 * process is started in the sandbox once, so what confinement costs is per process started);
 * only the confinement differs.
 */
export async function benchBuildSandbox(): Promise<BuildSandboxRounds | null> {
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
      const result = await runBuildGate({
        workspaceDir,
        templateDir,
        sandbox: chosen,
        env: { VITE_HANGAR_APP_NAME: 'Bench' },
        typeCheck: 'cold',
        bundler: 'cold',
      });
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
    const ratios = sandboxed.map((ms, round) => ms / (unsandboxed[round] ?? ms));
    printTable(`Build sandbox (${sandbox.mode}), template app, one-shot tsc ∥ vite, ${rounds} interleaved rounds`, [
      ['sandboxed done_building', `p50 ${format(percentile(sandboxed, 50), 0)} ms, max ${format(Math.max(...sandboxed), 0)} ms`],
      ['unsandboxed done_building', `p50 ${format(percentile(unsandboxed, 50), 0)} ms, max ${format(Math.max(...unsandboxed), 0)} ms`],
      ['ratio per round (sandboxed / unsandboxed)', `p50 ${format(percentile(ratios, 50), 2)}×`],
    ]);
    return { sandboxed, unsandboxed, ratios };
  } finally {
    stopWarmTypeCheckers();
    await rm(root, { recursive: true, force: true });
  }
}
