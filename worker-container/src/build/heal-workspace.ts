/**
 * A bad workspace heals at the start of a run: one whose dependencies cannot be installed, or
 * whose last run left edits that were never built and do not build, is restored to the last good
 * version (or to the template, for an app without one), and the chat says what was reset.
 *
 *   prepare ──fails──▶ reset ──▶ prepare ──fails──▶ the run fails with the reason
 *      │                  ▲
 *      ▼                  │ build fails
 *   unbuilt edits? ──yes──▶ build gate ──passes──▶ keep the edits
 *      │ no
 *      ▼
 *   ready
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { platformPathProblem } from '../workspace/platform-paths';
import { isIgnoredDirectory } from '../workspace/workspace-files';
import { runBuildGate, type BuildGateOptions } from './build-gate';

/** What healing did, for the log and the chat. */
export interface HealOutcome {
  /** Null when the workspace was fine; otherwise why it was reset. */
  resetReason: string | null;
  /** The message shown in the chat, when something was reset. */
  message: string | null;
}

export interface HealWorkspaceOptions extends Pick<BuildGateOptions, 'sandbox' | 'env' | 'timeoutMs'> {
  workspaceDir: string;
  templateDir: string;
  /** The last good version, or null for an app that has none yet. */
  lastGood: { number: number; files: ReadonlyArray<{ path: string; sha256: string }> } | null;
  /** Makes the workspace buildable (copy the template if empty, link and install dependencies). */
  prepare: () => Promise<unknown>;
  /** Rewrites the workspace's files from the last good version. */
  restoreLastGood: () => Promise<void>;
  /** Posts the chat message saying what was reset. */
  announce: (message: string) => Promise<void>;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** Prepares the workspace, resetting it to the last good version when it cannot be installed or built. */
export async function prepareHealthyWorkspace(options: HealWorkspaceOptions): Promise<HealOutcome> {
  let resetReason: string | null = null;
  try {
    await options.prepare();
  } catch (error) {
    if (options.signal?.aborted) throw error;
    resetReason = `its dependencies could not be installed (${firstLine(error)})`;
  }
  if (resetReason === null && options.lastGood && (await hasUnbuiltEdits(options.workspaceDir, options.lastGood.files))) {
    options.log?.('workspace: the last run left unbuilt edits; checking that they build');
    const result = await runBuildGate({
      workspaceDir: options.workspaceDir,
      templateDir: options.templateDir,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!result.ok) resetReason = `the last run left edits that do not build (${firstLine(result.typecheckErrors || result.buildErrors)})`;
  }
  if (resetReason === null) return { resetReason: null, message: null };

  options.log?.(`workspace: resetting, because ${resetReason}`);
  await resetWorkspace(options);
  await options.prepare();
  const target = options.lastGood ? `version ${options.lastGood.number}, the last one that built` : 'the starting template';
  const message = `I reset the app's workspace to ${target}, because ${resetReason}. Changes made since then were discarded.\n\n`;
  await options.announce(message);
  return { resetReason, message };
}

async function resetWorkspace(options: HealWorkspaceOptions): Promise<void> {
  // Installed packages may be half-changed by a failed install: link them afresh from the cache.
  await rm(path.join(options.workspaceDir, 'node_modules'), { recursive: true, force: true });
  if (options.lastGood) {
    await options.restoreLastGood();
    return;
  }
  for (const entry of await readdir(options.workspaceDir).catch(() => [])) {
    await rm(path.join(options.workspaceDir, entry), { recursive: true, force: true });
  }
}

/**
 * True when the workspace's sources differ from the version's: a file added, changed or removed
 * (build output, installed packages and the platform's own build configuration do not count;
 * package.json does, since its dependencies are the app's).
 */
export async function hasUnbuiltEdits(workspaceDir: string, files: ReadonlyArray<{ path: string; sha256: string }>): Promise<boolean> {
  const counts = (relative: string) => {
    if (relative.startsWith('dist/')) return false;
    return relative === 'package.json' || platformPathProblem(relative.split('/')) === null;
  };
  const expected = new Map(files.filter((file) => counts(file.path)).map((file) => [file.path, file.sha256]));
  const seen = new Set<string>();
  const walk = async (relative: string): Promise<boolean> => {
    for (const entry of await readdir(path.join(workspaceDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isIgnoredDirectory(entry.name) && (await walk(child))) return true;
        continue;
      }
      if (!entry.isFile() || !counts(child)) continue;
      const sha = createHash('sha256')
        .update(await readFile(path.join(workspaceDir, child)))
        .digest('hex');
      if (expected.get(child) !== sha) return true;
      seen.add(child);
    }
    return false;
  };
  if (await walk('')) return true;
  return [...expected.keys()].some((file) => !seen.has(file));
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
