/**
 * The standby worker (local launcher only; see docs/decisions/0021-standby-worker.md). Started
 * before any run, it does what every new app's run would otherwise do first, while nobody waits:
 * load the worker, make sure the dependency cache is installed, prepare a pristine workspace from
 * the template, and warm its build processes (a full type check of the template and a spare Vite
 * build, both in the build sandbox). Then it reads its run on stdin.
 *
 * A run for a new app adopts the prepared workspace: the directory is renamed to the app's, and
 * the warm processes are handed over (their bind mount follows the directory, so only the names
 * in their answers change). A run for an existing app discards it. The workspace is never shared:
 * one standby, one prepared workspace, one run.
 */
import { mkdir, readdir, realpath, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { WorkerAssignment, type StandbyWorkerEnvironment } from '@hangar/protocol';
import { prewarmBuildGate } from '../build/build-gate';
import { defaultBuildSandbox } from '../build/build-sandbox';
import { ensureDependencyCache } from '../build/dependency-cache';
import { prepareWorkspace } from '../build/prepare-workspace';
import { adoptWarmTypeCheckers, stopWarmTypeCheckers, warmTypeCheckersReady } from '../build/warm-type-check';
import { adoptSpareViteBuilds, spareViteBuildsReady, stopSpareViteBuilds } from '../build/warm-vite-build';

/** Prepared workspaces are named `.standby-<pid>` inside the workspaces directory (app workspaces are named by app id). */
const standbyPrefix = '.standby-';

export interface StandbyWorkspace {
  /** The prepared workspace's real path. */
  dir: string;
  /** Resolves once its type check and spare Vite build are warm (or gave up). */
  warm: Promise<void>;
}

/**
 * Prepares the standby's workspace and warms its build processes. Null when there is nothing to
 * adopt: the build sandbox has no mount namespace of its own (an unconfined process sees the
 * workspace by its host path, which a rename would break), or preparing failed. The dependency
 * cache is installed either way, so the run does not wait for it.
 */
export async function prepareStandbyWorkspace(
  config: StandbyWorkerEnvironment,
  log: (message: string) => void,
): Promise<StandbyWorkspace | null> {
  await mkdir(config.workspacesDir, { recursive: true });
  await removeAbandonedStandbyWorkspaces(config.workspacesDir);
  const cache = await ensureDependencyCache({ templateDir: config.templateDir, cacheRoot: config.dependencyCacheDir, log });
  if ((await defaultBuildSandbox()).mode !== 'bubblewrap') {
    log('standby: the build sandbox is not bubblewrap; no workspace is prepared ahead (a run prepares its own)');
    return null;
  }
  const dir = path.join(config.workspacesDir, `${standbyPrefix}${process.pid}`);
  try {
    await rm(dir, { recursive: true, force: true });
    await prepareWorkspace({ templateDir: config.templateDir, workspaceDir: dir, cache, log });
    const real = await realpath(dir);
    await prewarmBuildGate({ workspaceDir: real });
    const warm = Promise.all([warmTypeCheckersReady(), spareViteBuildsReady()]).then(() => undefined);
    return { dir: real, warm };
  } catch (error) {
    log(`standby: could not prepare a workspace ahead (${error instanceof Error ? error.message : String(error)})`);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    return null;
  }
}

/**
 * Gives the prepared workspace to a new app: renames it to `workspaceDir` and hands its warm
 * processes over. False (and nothing changed) when `workspaceDir` already holds files (an earlier
 * run of the app left them: they are the app's, not the template's).
 */
export async function adoptStandbyWorkspace(standby: StandbyWorkspace, workspaceDir: string): Promise<boolean> {
  const existing = await readdir(workspaceDir).catch(() => null);
  if (existing !== null && existing.length > 0) return false;
  if (existing !== null) await rmdir(workspaceDir);
  await mkdir(path.dirname(workspaceDir), { recursive: true });
  await rename(standby.dir, workspaceDir);
  const adoptedDir = await realpath(workspaceDir);
  adoptWarmTypeCheckers(standby.dir, adoptedDir);
  adoptSpareViteBuilds(standby.dir, adoptedDir);
  return true;
}

/** Stops the prepared workspace's processes and removes it (a run for an existing app does not need it). */
export async function discardStandbyWorkspace(standby: StandbyWorkspace): Promise<void> {
  stopWarmTypeCheckers(standby.dir);
  stopSpareViteBuilds(standby.dir);
  await rm(standby.dir, { recursive: true, force: true });
}

/** Reads the standby's one assignment line on stdin (validated; unknown keys refused). */
export async function readAssignment(input: NodeJS.ReadableStream = process.stdin): Promise<WorkerAssignment> {
  const lines = createInterface({ input });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error("the standby worker's assignment is not JSON");
      }
      const assignment = WorkerAssignment.safeParse(parsed);
      if (!assignment.success)
        throw new Error(
          `the standby worker's assignment is not valid: ${assignment.error.issues.map((issue) => issue.message).join('; ')}`,
        );
      return assignment.data;
    }
    throw new Error('stdin closed before the standby worker was assigned a run');
  } finally {
    lines.close();
  }
}

/** Prepared workspaces of standby workers that are gone (a killed host leaves them behind). */
async function removeAbandonedStandbyWorkspaces(workspacesDir: string): Promise<void> {
  for (const name of await readdir(workspacesDir)) {
    if (!name.startsWith(standbyPrefix)) continue;
    const pid = Number(name.slice(standbyPrefix.length));
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    await rm(path.join(workspacesDir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
