import { z } from 'zod';
import type { BuilderTool } from '../workspace/tool';
import { runBuildGate, type BuildGateOptions, type BuildResult } from './build-gate';

/** What recording a snapshot of a passing build returns. */
export interface SnapshotRecord {
  versionId?: string;
  summary?: string;
}

export interface DoneBuildingOptions extends Pick<BuildGateOptions, 'timeoutMs' | 'env' | 'maxErrorLines' | 'maxErrorChars' | 'sandbox' | 'templateDir'> {
  /** Records a snapshot of the workspace after a passing build. */
  onSuccess?: (workspaceDir: string) => Promise<SnapshotRecord>;
  /** Every gate result, passing or not (the agent loop emits `build.finished` and counts attempts). */
  onBuildFinished?: (result: BuildResult) => void;
}

const DoneBuildingInput = z.strictObject({});

/** done_building: the build gate. Passing means typecheck and build are clean and a version is saved. */
export function createDoneBuildingTool(options: DoneBuildingOptions = {}): BuilderTool<z.infer<typeof DoneBuildingInput>> {
  return {
    name: 'done_building',
    description:
      'Call when the app is ready. Runs the TypeScript typecheck and the Vite build in parallel and returns their errors separately. If either fails, fix the errors and call done_building again. When both pass, the app is saved as a new version.',
    input: DoneBuildingInput,
    async execute(_input, context) {
      const result = await runBuildGate({
        workspaceDir: context.workspaceDir,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.maxErrorLines !== undefined ? { maxErrorLines: options.maxErrorLines } : {}),
        ...(options.maxErrorChars !== undefined ? { maxErrorChars: options.maxErrorChars } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
        ...(options.templateDir ? { templateDir: options.templateDir } : {}),
      });
      options.onBuildFinished?.(result);
      const seconds = (result.durationMs / 1000).toFixed(1);
      const reset = result.platformFilesReset?.length
        ? `\nThe platform reset its build configuration before building (the agent cannot change it): ${result.platformFilesReset.join(', ')}.`
        : '';
      if (!result.ok) {
        const sections = [`The build gate failed. Fix these errors, then call done_building again.${reset}`];
        if (result.typecheckErrors) sections.push(`Typecheck errors (tsc --noEmit):\n${result.typecheckErrors}`);
        if (result.buildErrors) sections.push(`Build errors (vite build):\n${result.buildErrors}`);
        const failed = [result.typecheckErrors && 'typecheck', result.buildErrors && 'build'].filter(Boolean).join(' and ');
        return { ok: false, output: sections.join('\n\n'), summary: `Build failed: ${failed} errors (${seconds} s)` };
      }
      if (!options.onSuccess) {
        return { ok: true, output: `Typecheck and build passed in ${seconds} s.${reset}`, summary: `Build passed (${seconds} s)` };
      }
      try {
        const snapshot = await options.onSuccess(context.workspaceDir);
        const saved = snapshot.versionId ? ` Saved as version ${snapshot.versionId}.` : '';
        return {
          ok: true,
          output: `Typecheck and build passed in ${seconds} s.${saved}${snapshot.summary ? `\n${snapshot.summary}` : ''}${reset}`,
          summary: snapshot.summary ?? `Build passed (${seconds} s)`,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        context.log?.(`done_building: recording the snapshot failed: ${message}`);
        return {
          ok: false,
          output: `Typecheck and build passed, but saving the version failed: ${message}. Call done_building again to retry.`,
          summary: 'Build passed; saving the version failed',
        };
      }
    },
  };
}
