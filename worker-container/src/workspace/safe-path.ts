import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { platformPathProblem } from './platform-paths';
import { ToolError, isErrnoException } from './tool-error';

/** Size and count caps shared by every workspace tool. */
export const workspaceLimits = {
  /** Largest file read_file reads and write_file/edit_file write. */
  maxFileBytes: 256 * 1024,
  /** Most entries list_files returns. */
  maxListedFiles: 500,
  /** Most matching lines search_files returns. */
  maxSearchResults: 100,
  maxPathLength: 512,
  maxSegmentLength: 255,
} as const;

/** Directories the agent may read from but never write into: installed packages, build output, git data. */
export const writeProtectedSegments: ReadonlySet<string> = new Set(['node_modules', 'dist', '.git']);

export type PathAccess = 'read' | 'write';

export interface ResolvedPath {
  /** Absolute real path (symlinks inside the workspace resolved). */
  absolutePath: string;
  /** The same path relative to the workspace root, with `/` separators; `.` for the root itself. */
  relativePath: string;
}

/**
 * Resolves a model-supplied relative path inside `root`, refusing anything that could reach
 * outside it: absolute paths, `..`, NUL bytes, backslashes, and symlinks whose target leaves the
 * root (the real path of the deepest existing ancestor is checked, so a path that does not exist
 * yet is still confined). Writes are also refused inside `node_modules`, `dist` and `.git`, and to
 * the platform's build configuration (see platform-paths.ts).
 */
export async function resolveInside(root: string, relativePath: string, access: PathAccess = 'read'): Promise<ResolvedPath> {
  const segments = validateRelativePath(relativePath);
  if (access === 'write' && segments.length === 0) {
    throw new ToolError('invalid_path', 'Give the path of a file, not the workspace root.');
  }
  checkProtected(segments, access, relativePath);

  const realRoot = await realpath(root);
  const realTarget = await realPathOfDeepestAncestor(realRoot, segments, relativePath);
  const inside = path.relative(realRoot, realTarget);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new ToolError(
      'outside_workspace',
      `"${relativePath}" resolves outside the workspace (through a symbolic link); use a path inside it.`,
    );
  }
  const realSegments = inside === '' ? [] : inside.split(path.sep);
  // A symlink inside the workspace could point into a protected directory: check where it lands.
  checkProtected(realSegments, access, relativePath);
  return { absolutePath: realTarget, relativePath: realSegments.length === 0 ? '.' : realSegments.join('/') };
}

/** Splits a workspace-relative path into clean segments, or throws a ToolError saying what is wrong. */
export function validateRelativePath(relativePath: string): string[] {
  if (relativePath.length === 0)
    throw new ToolError('invalid_path', 'The path is empty; give a path relative to the workspace root, like "src/App.tsx".');
  if (relativePath.includes('\0')) throw new ToolError('invalid_path', 'The path contains a NUL byte.');
  if (relativePath.includes('\\'))
    throw new ToolError('invalid_path', `"${relativePath}" contains a backslash; use "/" to separate directories.`);
  if (relativePath.length > workspaceLimits.maxPathLength) {
    throw new ToolError('invalid_path', `The path is longer than ${workspaceLimits.maxPathLength} characters.`);
  }
  if (relativePath.startsWith('/') || /^[a-zA-Z]:/.test(relativePath) || relativePath.startsWith('~')) {
    throw new ToolError('invalid_path', `"${relativePath}" is absolute; give a path relative to the workspace root, like "src/App.tsx".`);
  }
  const segments = relativePath.split('/').filter((segment) => segment !== '' && segment !== '.');
  for (const segment of segments) {
    if (segment === '..') throw new ToolError('invalid_path', `"${relativePath}" contains "..": paths must stay inside the workspace.`);
    if (segment.length > workspaceLimits.maxSegmentLength) throw new ToolError('invalid_path', `A name in "${relativePath}" is too long.`);
  }
  return segments;
}

function checkProtected(segments: readonly string[], access: PathAccess, shownPath: string): void {
  if (access !== 'write') return;
  const protectedSegment = segments.find((segment) => writeProtectedSegments.has(segment));
  if (protectedSegment !== undefined) {
    const hint = protectedSegment === 'node_modules' ? ' Use add_dependency to install packages.' : '';
    throw new ToolError('protected_path', `"${shownPath}" is inside ${protectedSegment}/, which tools may not write to.${hint}`);
  }
  const platformProblem = platformPathProblem(segments);
  if (platformProblem !== null) throw new ToolError('platform_file', platformProblem);
}

/**
 * The real path of `root/segments…`: the deepest existing ancestor is resolved with realpath and
 * the missing rest is appended. A dangling symlink on the way is refused, since writing through it
 * would create a file wherever it points.
 */
async function realPathOfDeepestAncestor(realRoot: string, segments: readonly string[], shownPath: string): Promise<string> {
  for (let existing = segments.length; existing >= 0; existing -= 1) {
    const candidate = path.join(realRoot, ...segments.slice(0, existing));
    try {
      const real = await realpath(candidate);
      return path.join(real, ...segments.slice(existing));
    } catch (error) {
      if (!isErrnoException(error)) throw error;
      if (error.code === 'ENOTDIR') throw new ToolError('not_a_directory', `A parent of "${shownPath}" is a file, not a directory.`);
      if (error.code === 'ELOOP') throw new ToolError('invalid_path', `"${shownPath}" goes through a symbolic link loop.`);
      if (error.code !== 'ENOENT') throw error;
      if (await existsAsLink(candidate)) {
        throw new ToolError('outside_workspace', `"${shownPath}" goes through a broken symbolic link; tools do not follow it.`);
      }
    }
  }
  // Unreachable: the root itself was resolved by the caller.
  throw new ToolError('not_found', 'The workspace directory does not exist.');
}

async function existsAsLink(candidate: string): Promise<boolean> {
  try {
    return (await lstat(candidate)).isSymbolicLink();
  } catch {
    return false;
  }
}
