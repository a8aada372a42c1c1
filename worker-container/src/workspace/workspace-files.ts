import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workspaceLimits } from './safe-path';
import { ToolError, isErrnoException } from './tool-error';

/** Directory names never listed or searched: installed packages, build output, git data, Vite caches. */
export function isIgnoredDirectory(name: string): boolean {
  return name === 'node_modules' || name === 'dist' || name === '.git' || name.startsWith('.vite');
}

export interface WorkspaceEntry {
  /** Relative to the workspace root, `/`-separated. */
  relativePath: string;
  absolutePath: string;
  size: number;
  symbolicLink: boolean;
}

/** Most directory entries one walk visits, so a huge tree cannot stall a tool. */
const maxVisitedEntries = 20_000;

/**
 * Files under `directory` in sorted order, depth first, skipping ignored directories. Symbolic
 * links are reported but never followed.
 */
export async function* walkFiles(rootReal: string, directory: string): AsyncGenerator<WorkspaceEntry> {
  let visited = 0;
  async function* walk(current: string): AsyncGenerator<WorkspaceEntry> {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      visited += 1;
      if (visited > maxVisitedEntries) return;
      const absolutePath = path.join(current, entry.name);
      const relativePath = path.relative(rootReal, absolutePath).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!isIgnoredDirectory(entry.name)) yield* walk(absolutePath);
      } else if (entry.isSymbolicLink()) {
        yield { relativePath, absolutePath, size: 0, symbolicLink: true };
      } else if (entry.isFile()) {
        const { size } = await stat(absolutePath);
        yield { relativePath, absolutePath, size, symbolicLink: false };
      }
    }
  }
  yield* walk(directory);
}

/** Reads a UTF-8 text file of at most the size cap; refuses directories, missing and binary files. */
export async function readTextFile(absolutePath: string, shownPath: string): Promise<string> {
  const info = await statOrNull(absolutePath);
  if (!info) throw new ToolError('not_found', `"${shownPath}" does not exist. Use list_files to see the workspace.`);
  if (!info.isFile()) throw new ToolError('not_a_file', `"${shownPath}" is a directory, not a file.`);
  if (info.size > workspaceLimits.maxFileBytes) {
    throw new ToolError('too_large', `"${shownPath}" is ${info.size} bytes; tools read files up to ${workspaceLimits.maxFileBytes} bytes.`);
  }
  const buffer = await readFile(absolutePath);
  if (buffer.includes(0)) throw new ToolError('binary_file', `"${shownPath}" is a binary file; tools read text files only.`);
  return buffer.toString('utf8');
}

/** The previous text of a file about to be written, or null when it does not exist yet. */
export async function readPreviousText(absolutePath: string, shownPath: string): Promise<string | null> {
  const info = await statOrNull(absolutePath);
  if (!info) return null;
  if (!info.isFile()) throw new ToolError('not_a_file', `"${shownPath}" is a directory; give a file path.`);
  if (info.size > workspaceLimits.maxFileBytes) return '';
  const buffer = await readFile(absolutePath);
  return buffer.includes(0) ? '' : buffer.toString('utf8');
}

/** Refuses content over the file size cap. */
export function assertContentSize(content: string, shownPath: string): void {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > workspaceLimits.maxFileBytes) {
    throw new ToolError(
      'too_large',
      `The new content of "${shownPath}" is ${bytes} bytes; files may be at most ${workspaceLimits.maxFileBytes} bytes. Split it into smaller modules.`,
    );
  }
}

/**
 * Writes through a temporary file and a rename: readers never see half a file, and a file that
 * was a hard link (the template, a shared cache) is replaced rather than changed in place.
 */
export async function writeFileAtomically(absolutePath: string, content: string): Promise<void> {
  await mkdir(path.dirname(absolutePath), { recursive: true });
  const temporary = path.join(path.dirname(absolutePath), `.${path.basename(absolutePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, absolutePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function statOrNull(absolutePath: string) {
  try {
    return await stat(absolutePath);
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** `+added −removed` counted from a unified diff. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added += 1;
    else if (line.startsWith('-') && !line.startsWith('---')) removed += 1;
  }
  return { added, removed };
}
