import { realpath, stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInside, workspaceLimits } from './safe-path';
import type { BuilderTool, ToolResult } from './tool';
import { ToolError } from './tool-error';
import { unifiedDiff } from './unified-diff';
import { assertContentSize, diffStats, readPreviousText, readTextFile, walkFiles, writeFileAtomically } from './workspace-files';

const workspacePath = z.string().max(workspaceLimits.maxPathLength);

const ListFilesInput = z.strictObject({
  path: workspacePath.optional().describe('Directory to list, relative to the workspace root. Defaults to the root.'),
});

/** list_files: every file under a directory (recursively), sorted, with sizes. */
export const listFilesTool: BuilderTool<z.infer<typeof ListFilesInput>> = {
  name: 'list_files',
  description:
    'List the files of the app workspace recursively (sorted, with sizes in bytes). node_modules, dist and .vite caches are skipped. Paths are relative to the workspace root.',
  input: ListFilesInput,
  async execute(input, context) {
    const directory = await resolveInside(context.workspaceDir, input.path ?? '.');
    const info = await stat(directory.absolutePath).catch(() => null);
    if (!info) throw new ToolError('not_found', `"${directory.relativePath}" does not exist.`);
    if (!info.isDirectory()) throw new ToolError('not_a_directory', `"${directory.relativePath}" is a file; use read_file to read it.`);
    const rootReal = await realpath(context.workspaceDir);
    const lines: string[] = [];
    let truncated = false;
    for await (const entry of walkFiles(rootReal, directory.absolutePath)) {
      if (lines.length === workspaceLimits.maxListedFiles) {
        truncated = true;
        break;
      }
      lines.push(
        entry.symbolicLink ? `${entry.relativePath} (symbolic link, not followed)` : `${entry.relativePath} (${entry.size} bytes)`,
      );
    }
    const count = `${lines.length}${truncated ? '+' : ''} file${lines.length === 1 ? '' : 's'}`;
    if (truncated) lines.push(`… more files not shown (limit ${workspaceLimits.maxListedFiles}); list a subdirectory.`);
    if (lines.length === 0) lines.push('(no files)');
    return { ok: true, output: lines.join('\n'), summary: `Listed ${count} in ${directory.relativePath}` };
  },
};

const ReadFileInput = z.strictObject({
  path: workspacePath.describe('File to read, relative to the workspace root, e.g. "src/App.tsx".'),
  startLine: z.number().int().min(1).optional().describe('First line to show (1-based). Defaults to 1.'),
  endLine: z.number().int().min(1).optional().describe('Last line to show (inclusive). Defaults to the end of the file.'),
});

/** read_file: a text file (or a line range of it) with line numbers. */
export const readFileTool: BuilderTool<z.infer<typeof ReadFileInput>> = {
  name: 'read_file',
  description:
    'Read a text file of the workspace, optionally a range of lines. Each line is prefixed with its number and a tab; the numbers are not part of the file, so never copy them into edit_file.',
  input: ReadFileInput,
  async execute(input, context) {
    const file = await resolveInside(context.workspaceDir, input.path);
    const text = await readTextFile(file.absolutePath, file.relativePath);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length === 0) return { ok: true, output: '(empty file)', summary: `Read ${file.relativePath} (empty)` };
    const start = input.startLine ?? 1;
    const end = Math.min(input.endLine ?? lines.length, lines.length);
    if (start > lines.length) {
      throw new ToolError('invalid_input', `"${file.relativePath}" has ${lines.length} lines; startLine ${start} is past the end.`);
    }
    if (end < start) throw new ToolError('invalid_input', `endLine (${end}) is before startLine (${start}).`);
    const width = String(end).length;
    const numbered = lines.slice(start - 1, end).map((line, index) => `${String(start + index).padStart(width)}\t${line}`);
    const whole = start === 1 && end === lines.length;
    if (!whole) numbered.push(`(lines ${start}–${end} of ${lines.length})`);
    const range = whole ? `${lines.length} lines` : `lines ${start}–${end} of ${lines.length}`;
    return { ok: true, output: numbered.join('\n'), summary: `Read ${file.relativePath} (${range})` };
  },
};

const WriteFileInput = z.strictObject({
  path: workspacePath.describe('File to create or replace, relative to the workspace root. Missing directories are created.'),
  content: z.string().describe('The complete new content of the file.'),
});

/** write_file: creates or replaces a whole file; returns a unified diff against the previous content. */
export const writeFileTool: BuilderTool<z.infer<typeof WriteFileInput>> = {
  name: 'write_file',
  description:
    'Create a file or replace its whole content. Missing directories are created. Prefer edit_file for small changes to an existing file. node_modules/ and dist/ cannot be written.',
  input: WriteFileInput,
  async execute(input, context) {
    const file = await resolveInside(context.workspaceDir, input.path, 'write');
    assertContentSize(input.content, file.relativePath);
    const previous = await readPreviousText(file.absolutePath, file.relativePath);
    await writeFileAtomically(file.absolutePath, input.content);
    const diff = unifiedDiff(previous ?? '', input.content, { path: file.relativePath, created: previous === null });
    return fileChangeResult(previous === null ? 'Created' : 'Updated', file.relativePath, input.content, diff);
  },
};

const EditFileInput = z.strictObject({
  path: workspacePath.describe('File to edit, relative to the workspace root.'),
  oldString: z
    .string()
    .min(1)
    .describe('Exact text to replace, including whitespace and indentation. It must occur exactly once in the file.'),
  newString: z.string().describe('Text to put in its place.'),
});

/** edit_file: replaces one exact occurrence of a string; zero or several matches are refused. */
export const editFileTool: BuilderTool<z.infer<typeof EditFileInput>> = {
  name: 'edit_file',
  description:
    'Replace one exact occurrence of oldString with newString in a file. oldString must match the file exactly (whitespace included) and occur exactly once; include surrounding lines to make it unique.',
  input: EditFileInput,
  async execute(input, context) {
    const file = await resolveInside(context.workspaceDir, input.path, 'write');
    if (input.oldString === input.newString)
      throw new ToolError('invalid_input', 'oldString and newString are identical; nothing would change.');
    const text = await readTextFile(file.absolutePath, file.relativePath);
    const matches = countOccurrences(text, input.oldString);
    if (matches === 0) {
      const hint = text.includes(input.oldString.trim())
        ? ' It does match once leading/trailing whitespace is removed: check the indentation and line breaks.'
        : ' Read the file again and copy the exact text, including whitespace and indentation.';
      throw new ToolError('no_match', `oldString was found 0 times in "${file.relativePath}".${hint}`);
    }
    if (matches > 1) {
      throw new ToolError(
        'ambiguous_match',
        `oldString was found ${matches} times in "${file.relativePath}"; it must match exactly once. Include more surrounding lines to make it unique.`,
      );
    }
    const index = text.indexOf(input.oldString);
    const edited = text.slice(0, index) + input.newString + text.slice(index + input.oldString.length);
    assertContentSize(edited, file.relativePath);
    await writeFileAtomically(file.absolutePath, edited);
    return fileChangeResult('Edited', file.relativePath, edited, unifiedDiff(text, edited, { path: file.relativePath }));
  },
};

const SearchFilesInput = z.strictObject({
  query: z.string().min(1).max(200).describe('Literal text to find (case-sensitive, not a regular expression).'),
  glob: z
    .string()
    .regex(/^\*?[\w.-]+$/, 'glob must be a simple file name suffix like ".tsx" or "*.css"')
    .optional()
    .describe('Only search files whose name ends with this suffix, e.g. ".tsx" or "*.css".'),
});

/** search_files: literal text search over the workspace, `path:line: text` per match. */
export const searchFilesTool: BuilderTool<z.infer<typeof SearchFilesInput>> = {
  name: 'search_files',
  description: `Search the workspace's text files for a literal string (case-sensitive). Returns "path:line: text" per matching line, at most ${workspaceLimits.maxSearchResults}. node_modules and dist are skipped.`,
  input: SearchFilesInput,
  async execute(input, context) {
    const suffix = input.glob?.replace(/^\*/, '');
    const rootReal = await realpath(context.workspaceDir);
    const results: string[] = [];
    let truncated = false;
    search: for await (const entry of walkFiles(rootReal, rootReal)) {
      if (entry.symbolicLink || entry.size > workspaceLimits.maxFileBytes) continue;
      if (suffix !== undefined && !entry.relativePath.endsWith(suffix)) continue;
      const text = await readTextFile(entry.absolutePath, entry.relativePath).catch(() => null);
      if (text === null || !text.includes(input.query)) continue;
      const lines = text.split('\n');
      for (const [index, line] of lines.entries()) {
        if (!line.includes(input.query)) continue;
        if (results.length === workspaceLimits.maxSearchResults) {
          truncated = true;
          break search;
        }
        const shown = line.trim();
        results.push(`${entry.relativePath}:${index + 1}: ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}`);
      }
    }
    if (results.length === 0) {
      return { ok: true, output: `No matches for "${input.query}".`, summary: `Searched "${input.query}": no matches` };
    }
    if (truncated) results.push(`… more matches not shown (limit ${workspaceLimits.maxSearchResults}); use a more specific query or glob.`);
    const count = `${truncated ? `${workspaceLimits.maxSearchResults}+` : results.length} match${results.length === 1 ? '' : 'es'}`;
    return { ok: true, output: results.join('\n'), summary: `Searched "${input.query}": ${count}` };
  },
};

/** The five file tools, in the order they are offered to the model. */
export const fileTools = [listFilesTool, readFileTool, writeFileTool, editFileTool, searchFilesTool] as const;

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) count += 1;
  return count;
}

function fileChangeResult(verb: string, relativePath: string, content: string, diff: string): ToolResult {
  const { added, removed } = diffStats(diff);
  const lineCount = content.length === 0 ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  return {
    ok: true,
    output: `${verb} ${relativePath} (${Buffer.byteLength(content, 'utf8')} bytes, ${lineCount} lines).`,
    summary: `${verb} ${relativePath} (+${added} −${removed})`,
    diff,
  };
}
