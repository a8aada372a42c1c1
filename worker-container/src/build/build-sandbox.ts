/**
 * Confinement of the build steps (tsc, vite build), which run code the model wrote or chose.
 * See docs/decisions/0008-build-sandbox.md for what holds where.
 *
 * - `bubblewrap` (local, CI): a new user, PID, network, IPC, UTS and mount namespace with no
 *   capabilities. The mount namespace holds the toolchain (/usr) read-only, the workspace
 *   read-only, its `dist/` writable and empty scratch space (tmpfs) for Vite's temporary files:
 *   no data directory, no other workspace, no worker /proc, no network, nothing of the worker's
 *   environment, and the hard-linked dependency cache is read-only.
 * - `separate-user` (Fargate, where user namespaces are unavailable): the step runs under a
 *   second uid that owns only the workspace's output directories; the worker's files, /proc
 *   entries and memory belong to another uid, and egress is limited by the security group.
 * - `unconfined`: neither is available. A warning is printed once; the environment is still
 *   scrubbed and the platform's Vite plugin still refuses reads outside the workspace.
 */
import { execFile } from 'node:child_process';
import { chown, lstat, mkdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

export type BuildSandboxMode = 'bubblewrap' | 'separate-user' | 'unconfined';

/** One confined command: the program, its arguments and, for `separate-user`, the ids to run as. */
export interface ConfinedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

export interface ConfineRequest {
  /** The program (an absolute path, e.g. `process.execPath`) and its arguments. */
  file: string;
  args: readonly string[];
  /** The workspace: the working directory, readable. */
  workspaceDir: string;
  /** Workspace directories the step may write (created if missing), e.g. `dist`. */
  writableDirs?: readonly string[];
  /** Workspace directories that get empty scratch space (Vite's temporary config, its cache). */
  scratchDirs?: readonly string[];
  /** Directories outside the workspace the step may read (a symlinked dependency cache). */
  readOnlyDirs?: readonly string[];
  env: Record<string, string>;
}

export interface BuildSandbox {
  mode: BuildSandboxMode;
  /** One line for logs and the bench: what confines the build here. */
  description: string;
  confine(request: ConfineRequest): Promise<ConfinedCommand>;
}

export interface BuildSandboxOptions {
  /** `auto` (default): bubblewrap, else a separate uid, else unconfined with a warning. */
  setting?: 'auto' | 'bubblewrap' | 'separate-user' | 'off';
  bubblewrapPath?: string;
  /** The uid/gid builds run as in `separate-user` mode (the worker must be root to switch). */
  buildUid?: number;
  buildGid?: number;
  log?: (message: string) => void;
}

/** Environment variables that choose the sandbox (read by `buildSandboxFromEnvironment`). */
export const buildSandboxVariables = {
  setting: 'HANGAR_BUILD_SANDBOX',
  uid: 'HANGAR_BUILD_UID',
  gid: 'HANGAR_BUILD_GID',
} as const;

/** The sandbox the worker's environment asks for: HANGAR_BUILD_SANDBOX, HANGAR_BUILD_UID, HANGAR_BUILD_GID. */
export function buildSandboxFromEnvironment(env: NodeJS.ProcessEnv = process.env, log?: (message: string) => void): Promise<BuildSandbox> {
  const setting = env[buildSandboxVariables.setting] ?? 'auto';
  if (!['auto', 'bubblewrap', 'separate-user', 'off'].includes(setting)) {
    throw new Error(`${buildSandboxVariables.setting}=${setting}: use auto, bubblewrap, separate-user or off.`);
  }
  const id = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^\d+$/.test(value) || Number(value) === 0) throw new Error(`${name} must be a non-zero numeric id.`);
    return Number(value);
  };
  const uid = id(buildSandboxVariables.uid);
  const gid = id(buildSandboxVariables.gid) ?? uid;
  return detectBuildSandbox({
    setting: setting as NonNullable<BuildSandboxOptions['setting']>,
    ...(uid !== undefined ? { buildUid: uid } : {}),
    ...(gid !== undefined ? { buildGid: gid } : {}),
    ...(log ? { log } : {}),
  });
}

let defaultSandbox: Promise<BuildSandbox> | undefined;

/** The process-wide sandbox from the environment, detected once. */
export function defaultBuildSandbox(): Promise<BuildSandbox> {
  defaultSandbox ??= buildSandboxFromEnvironment(process.env, (message) => console.warn(message));
  return defaultSandbox;
}

/** Picks the strongest confinement that works on this machine (probing bubblewrap once). */
export async function detectBuildSandbox(options: BuildSandboxOptions = {}): Promise<BuildSandbox> {
  const setting = options.setting ?? 'auto';
  const log = options.log ?? ((message: string) => console.warn(message));
  if (setting === 'off') {
    log('[build sandbox] HANGAR_BUILD_SANDBOX=off: builds run unconfined (scrubbed environment only).');
    return unconfinedSandbox('disabled by HANGAR_BUILD_SANDBOX=off');
  }
  let bubblewrapProblem = 'not tried';
  if (setting === 'auto' || setting === 'bubblewrap') {
    const bubblewrap = options.bubblewrapPath ?? '/usr/bin/bwrap';
    const probe = await probeBubblewrap(bubblewrap);
    if (probe === null) return bubblewrapSandbox(bubblewrap);
    bubblewrapProblem = probe;
    if (setting === 'bubblewrap') throw new Error(`HANGAR_BUILD_SANDBOX=bubblewrap, but bubblewrap does not work here: ${probe}`);
  }
  if (options.buildUid !== undefined) {
    const gid = options.buildGid ?? options.buildUid;
    if (process.getuid?.() === 0) return separateUserSandbox(options.buildUid, gid);
    const problem = `the worker is not root, so it cannot start builds as uid ${options.buildUid}`;
    if (setting === 'separate-user') throw new Error(`HANGAR_BUILD_SANDBOX=separate-user, but ${problem}.`);
    log(`[build sandbox] ${problem}.`);
  } else if (setting === 'separate-user') {
    throw new Error('HANGAR_BUILD_SANDBOX=separate-user needs HANGAR_BUILD_UID.');
  }
  log(
    `[build sandbox] WARNING: bubblewrap is unusable (${bubblewrapProblem}) and no HANGAR_BUILD_UID is set: ` +
      'builds run unconfined, with a scrubbed environment and the workspace-only Vite plugin. Install bubblewrap (apt-get install bubblewrap).',
  );
  return unconfinedSandbox(`bubblewrap unusable: ${bubblewrapProblem}`);
}

/** Runs steps as they are (environment still scrubbed by the caller): the bench's baseline and the last fallback. */
export function unconfinedSandbox(reason = 'no confinement requested'): BuildSandbox {
  return {
    mode: 'unconfined',
    description: `unconfined (${reason})`,
    confine: (request) => Promise.resolve({ file: request.file, args: [...request.args], env: request.env }),
  };
}

/** Namespaces and capabilities: everything unshared, no capability, killed with the worker. */
const isolationFlags = [
  '--unshare-user',
  '--unshare-pid',
  '--unshare-net',
  '--unshare-ipc',
  '--unshare-uts',
  '--unshare-cgroup-try',
  '--die-with-parent',
  '--new-session',
  '--cap-drop',
  'ALL',
  '--uid',
  '65534',
  '--gid',
  '65534',
  '--hostname',
  'hangar-build',
] as const;

/** The toolchain, read-only: /usr (node, libraries) and the top-level links of a merged-/usr system. */
async function toolchainFlags(program: string): Promise<string[]> {
  const flags = ['--ro-bind', '/usr', '/usr'];
  for (const entry of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    const info = await lstat(entry).catch(() => null);
    if (!info) continue;
    if (info.isSymbolicLink()) flags.push('--symlink', await readlink(entry), entry);
    else if (info.isDirectory()) flags.push('--ro-bind', entry, entry);
  }
  flags.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache');
  // A Node outside /usr (nvm, a tarball under /opt): its installation directory, read-only.
  const realProgram = await realpath(program);
  if (!realProgram.startsWith('/usr/')) flags.push('--ro-bind', path.dirname(path.dirname(realProgram)), path.dirname(path.dirname(realProgram)));
  flags.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  return flags;
}

function bubblewrapSandbox(bubblewrap: string): BuildSandbox {
  return {
    mode: 'bubblewrap',
    description: `bubblewrap (${bubblewrap}): new user/pid/net/ipc/mount namespaces, workspace read-only, dist writable`,
    async confine(request) {
      const workspace = await realpath(request.workspaceDir);
      const flags = [...isolationFlags, '--clearenv', ...(await toolchainFlags(request.file))];
      for (const directory of request.readOnlyDirs ?? []) flags.push('--ro-bind', directory, directory);
      flags.push('--ro-bind', workspace, workspace);
      for (const relative of request.writableDirs ?? []) {
        const directory = await workspaceDirectory(workspace, relative);
        flags.push('--bind', directory, directory);
      }
      for (const relative of request.scratchDirs ?? []) flags.push('--tmpfs', await workspaceDirectory(workspace, relative));
      for (const [name, value] of Object.entries(request.env)) flags.push('--setenv', name, value);
      flags.push('--chdir', workspace, '--', await realpath(request.file), ...request.args);
      return { file: bubblewrap, args: flags, env: {} };
    },
  };
}

function separateUserSandbox(uid: number, gid: number): BuildSandbox {
  return {
    mode: 'separate-user',
    description: `separate user (uid ${uid}, gid ${gid}): only the workspace's output is writable`,
    async confine(request) {
      const workspace = await realpath(request.workspaceDir);
      // The build uid owns its output directories and nothing else; node_modules stays the worker's.
      for (const relative of [...(request.writableDirs ?? []), ...(request.scratchDirs ?? [])]) {
        await chown(await workspaceDirectory(workspace, relative), uid, gid);
      }
      return { file: request.file, args: [...request.args], env: request.env, uid, gid };
    },
  };
}

/** `workspace/relative`, created if missing, refusing anything that leaves the workspace. */
async function workspaceDirectory(workspace: string, relative: string): Promise<string> {
  const directory = path.resolve(workspace, relative);
  if (!directory.startsWith(workspace + path.sep)) throw new Error(`${relative} is outside the workspace.`);
  await mkdir(directory, { recursive: true });
  const real = await realpath(directory);
  if (!real.startsWith(workspace + path.sep)) throw new Error(`${relative} resolves outside the workspace.`);
  return real;
}

/** Null when bubblewrap starts a confined `node -e 0` here; otherwise why not. */
async function probeBubblewrap(bubblewrap: string): Promise<string | null> {
  const info = await lstat(bubblewrap).catch(() => null);
  if (!info) return `${bubblewrap} is not installed`;
  let args: string[];
  try {
    args = [...isolationFlags, '--clearenv', ...(await toolchainFlags(process.execPath)), '--', await realpath(process.execPath), '-e', '0'];
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return new Promise((resolve) => {
    execFile(bubblewrap, args, { timeout: 15_000, env: {} }, (error, _stdout, stderr) => {
      resolve(error ? `${bubblewrap} failed: ${(stderr || error.message).trim().split('\n')[0] ?? ''}` : null);
    });
  });
}
