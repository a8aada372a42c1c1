import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BuilderTool } from '../workspace/tool';
import { ToolError } from '../workspace/tool-error';
import { unifiedDiff } from '../workspace/unified-diff';
import { npmOutput, quietNpmFlags, runNpm } from './npm';
import { packageNameProblem, packageVersionProblem } from './npm-package-spec';
import { assertRegistryDependencies, lockfileProblem, WorkspaceDependencyError } from './platform-files';

export interface AddDependencyOptions {
  npmCommand?: string;
  /** Longest one install may take; default 2 minutes. */
  timeoutMs?: number;
}

const AddDependencyInput = z.strictObject({
  name: z
    .string()
    .max(214)
    .superRefine((name, context) => reportProblem(context, 'package name', packageNameProblem(name)))
    .describe('The npm package name, e.g. "date-fns" or "@tanstack/react-table".'),
  version: z
    .string()
    .superRefine((version, context) => reportProblem(context, 'version', packageVersionProblem(version)))
    .optional()
    .describe('An exact version ("4.1.0") or a caret range ("^4.1.0"). Leave it out to get the latest version as a caret range.'),
});

/**
 * add_dependency: `npm install name@version` in this workspace only (its node_modules is its own
 * hard-link tree, so the shared cache is untouched). Lifecycle scripts never run; npm runs
 * without a shell, with a timeout, and stops when the run is stopped.
 */
export function createAddDependencyTool(options: AddDependencyOptions = {}): BuilderTool<z.infer<typeof AddDependencyInput>> {
  return {
    name: 'add_dependency',
    description:
      'Install an npm package into the app (saved to package.json dependencies). The template already has react, react-dom, lucide-react, clsx, tailwind-merge, class-variance-authority and Radix UI checkbox/dialog/select/slot/tabs: only add what is missing. Only npm registry packages with a version or caret range are installed (no paths, links, git or URLs; package.json itself cannot be edited). Install scripts do not run, so packages that need a native build step will not work.',
    input: AddDependencyInput,
    async execute(input, context) {
      const exact = input.version !== undefined && !input.version.startsWith('^');
      const spec = input.version === undefined ? input.name : `${input.name}@${input.version}`;
      const packageJsonPath = path.join(context.workspaceDir, 'package.json');
      const before = await readFile(packageJsonPath, 'utf8').catch(() => null);
      if (before === null) throw new ToolError('not_found', 'The workspace has no package.json.');
      // npm installs everything package.json and the lockfile list: refuse before it reads them.
      try {
        assertRegistryDependencies(JSON.parse(before) as Record<string, unknown>);
      } catch (error) {
        if (error instanceof WorkspaceDependencyError) throw new ToolError('invalid_package', error.message);
        throw new ToolError('invalid_package', "The workspace's package.json is not valid JSON.");
      }
      const lockPath = path.join(context.workspaceDir, 'package-lock.json');
      if ((await lockfileProblem(lockPath)) !== null) await rm(lockPath, { force: true });
      context.log?.(`add_dependency: npm install ${spec}`);
      const outcome = await runNpm(['install', ...quietNpmFlags, '--save', exact ? '--save-exact' : '--save-prefix=^', spec], {
        cwd: context.workspaceDir,
        timeoutMs: options.timeoutMs ?? 120_000,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(options.npmCommand ? { npmCommand: options.npmCommand } : {}),
      });
      const output = npmOutput(outcome);
      if (outcome.aborted) throw new ToolError('aborted', 'The install was stopped.');
      if (outcome.timedOut) throw new ToolError('timeout', `Installing ${spec} timed out.\n${output}`);
      if (outcome.exitCode !== 0) {
        throw new ToolError('install_failed', `npm could not install ${spec}. Check the package name and version exist.\n${output}`);
      }
      const after = await readFile(packageJsonPath, 'utf8');
      const installed = installedRange(after, input.name);
      const diff = unifiedDiff(before, after, { path: 'package.json' });
      return {
        ok: true,
        output: `Installed ${input.name}${installed ? `@${installed}` : ''}.\n${output}`,
        summary: `Added ${input.name}${installed ? `@${installed}` : ''}`,
        ...(diff ? { diff } : {}),
      };
    },
  };
}

function reportProblem(context: z.RefinementCtx, what: string, problem: string | null): void {
  if (problem !== null) context.addIssue({ code: 'custom', message: `Invalid ${what}: ${problem}` });
}

function installedRange(packageJson: string, name: string): string | undefined {
  const manifest = JSON.parse(packageJson) as { dependencies?: Record<string, unknown> };
  const range = manifest.dependencies?.[name];
  return typeof range === 'string' ? range : undefined;
}
