import { link, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileTools } from './file-tools';
import { workspaceLimits } from './safe-path';
import { runToolByName, type BuilderTool, type ToolContext } from './tool';

const tools = [...fileTools] as BuilderTool<unknown>[];
let root: string;
let workspaceDir: string;
let outsideDir: string;
let context: ToolContext;

const appSource = "import { useState } from 'react';\n\nexport function App() {\n  return <h1>Hello</h1>;\n}\n";

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-file-tools-'));
  workspaceDir = path.join(root, 'workspace');
  outsideDir = path.join(root, 'outside');
  await mkdir(path.join(workspaceDir, 'src', 'components'), { recursive: true });
  await mkdir(path.join(workspaceDir, 'node_modules', 'left-pad'), { recursive: true });
  await mkdir(path.join(workspaceDir, 'dist'), { recursive: true });
  await mkdir(path.join(workspaceDir, 'node_modules', '.vite-app'), { recursive: true });
  await mkdir(outsideDir);
  await writeFile(path.join(outsideDir, 'secret.txt'), 'TOP SECRET\n');
  await writeFile(path.join(workspaceDir, 'src', 'App.tsx'), appSource);
  await writeFile(path.join(workspaceDir, 'src', 'components', 'card.tsx'), 'export const Card = () => null;\n');
  await writeFile(path.join(workspaceDir, 'src', 'index.css'), '@import "tailwindcss";\n');
  await writeFile(path.join(workspaceDir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1; // Hello\n');
  await writeFile(path.join(workspaceDir, 'dist', 'index.html'), '<h1>Hello</h1>\n');
  await writeFile(path.join(workspaceDir, 'big.txt'), 'x'.repeat(workspaceLimits.maxFileBytes + 1));
  // Symbolic links out of the workspace: to a directory, to a file, and a dangling one.
  await symlink(outsideDir, path.join(workspaceDir, 'link-out'));
  await symlink(path.join(outsideDir, 'secret.txt'), path.join(workspaceDir, 'secret-link.txt'));
  await symlink(path.join(outsideDir, 'not-yet'), path.join(workspaceDir, 'dangling'));
  context = { workspaceDir };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const run = (name: string, input: unknown) => runToolByName(tools, name, input, context);

async function expectOutsideUntouched() {
  expect(await readdir(outsideDir)).toEqual(['secret.txt']);
  expect(await readFile(path.join(outsideDir, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
}

describe('path confinement, against every file tool', () => {
  const escapes: Array<[string, RegExp]> = [
    ['../outside/secret.txt', /\.\./],
    ['src/../../outside/secret.txt', /\.\./],
    ['/etc/passwd', /absolute/],
    [path.join(tmpdir(), 'x.txt'), /absolute/],
    ['src/App.tsx\0.png', /NUL/],
    ['src\\App.tsx', /backslash/],
    ['', /empty/],
    ['link-out/secret.txt', /outside the workspace/],
    ['secret-link.txt', /outside the workspace/],
    ['dangling/new.txt', /broken symbolic link/],
  ];
  const fileInputs: Record<string, (filePath: string) => unknown> = {
    read_file: (filePath) => ({ path: filePath }),
    write_file: (filePath) => ({ path: filePath, content: 'pwned\n' }),
    edit_file: (filePath) => ({ path: filePath, oldString: 'TOP SECRET', newString: 'pwned' }),
    list_files: (filePath) => ({ path: filePath }),
  };

  for (const [toolName, makeInput] of Object.entries(fileInputs)) {
    it.each(escapes)(`${toolName} refuses %j`, async (attack, message) => {
      const result = await run(toolName, makeInput(attack));
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(message);
      expect(result.output).not.toContain('TOP SECRET');
      await expectOutsideUntouched();
    });
  }

  it('list_files and search_files do not follow symbolic links out of the workspace', async () => {
    const listed = await run('list_files', {});
    expect(listed.output).toContain('link-out (symbolic link, not followed)');
    expect(listed.output).not.toContain('secret.txt (');
    const searched = await run('search_files', { query: 'TOP SECRET' });
    expect(searched).toMatchObject({ ok: true, output: 'No matches for "TOP SECRET".' });
  });

  it('search_files refuses a glob that is a path', async () => {
    for (const glob of ['../*.txt', '/etc/*', 'src/*.tsx']) {
      const result = await run('search_files', { query: 'x', glob });
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/simple file name suffix/);
    }
  });

  it.each([
    ['write_file', { path: 'node_modules/left-pad/index.js', content: 'x' }, /node_modules.*add_dependency/],
    ['write_file', { path: 'dist/index.html', content: 'x' }, /inside dist\//],
    ['write_file', { path: '.git/config', content: 'x' }, /inside \.git\//],
    ['write_file', { path: 'src/node_modules/x.js', content: 'x' }, /node_modules/],
    ['edit_file', { path: 'node_modules/left-pad/index.js', oldString: 'Hello', newString: 'Bye' }, /node_modules/],
    ['edit_file', { path: 'dist/index.html', oldString: 'Hello', newString: 'Bye' }, /dist/],
  ])('%s refuses writes into protected directories (%j)', async (toolName, input, message) => {
    const result = await run(toolName, input);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(message);
    expect(await readFile(path.join(workspaceDir, 'node_modules', 'left-pad', 'index.js'), 'utf8')).toContain('Hello');
    expect(await readFile(path.join(workspaceDir, 'dist', 'index.html'), 'utf8')).toContain('Hello');
  });

  it('refuses a symlink inside the workspace that leads into node_modules, for writes', async () => {
    await symlink(path.join(workspaceDir, 'node_modules', 'left-pad'), path.join(workspaceDir, 'src', 'vendor'));
    const result = await run('write_file', { path: 'src/vendor/index.js', content: 'x' });
    expect(result).toMatchObject({ ok: false });
    expect(result.output).toMatch(/node_modules/);
  });

  it.each([
    'vite.config.ts',
    'vite.config.js',
    'tsconfig.json',
    'tsconfig.node.json',
    'src/tsconfig.json',
    'index.html',
    'package.json',
    'src/package.json',
    'package-lock.json',
    '.npmrc',
    'postcss.config.mjs',
    'src/tailwind.config.ts',
    'platform/workspace-confinement.ts',
    '.hangar-version',
  ])('refuses to write the platform file %s, saying what to do instead', async (file) => {
    await writeFile(path.join(workspaceDir, 'index.html'), '<div id="root"></div>\n');
    for (const [tool, input] of [
      ['write_file', { path: file, content: 'export default {};\n' }],
      ['edit_file', { path: file, oldString: 'root', newString: 'pwn' }],
    ] as const) {
      const result = await run(tool, input);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/platform/);
    }
    if (file !== 'index.html') await expect(readFile(path.join(workspaceDir, file))).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(workspaceDir, 'index.html'), 'utf8')).toBe('<div id="root"></div>\n');
    // Reading them stays allowed.
    if (file === 'index.html') expect((await run('read_file', { path: file })).ok).toBe(true);
  });

  it('still writes app files whose names only resemble configuration', async () => {
    for (const file of ['src/config.ts', 'src/vite-env.d.ts', 'src/lib/package-list.ts', 'src/index.html.ts']) {
      expect((await run('write_file', { path: file, content: 'export {};\n' })).ok, file).toBe(true);
    }
  });

  it('refuses oversized files for read, edit and write', async () => {
    const read = await run('read_file', { path: 'big.txt' });
    expect(read.ok).toBe(false);
    expect(read.output).toMatch(/bytes; tools read files up to 262144 bytes/);
    const edit = await run('edit_file', { path: 'big.txt', oldString: 'x', newString: 'y' });
    expect(edit.ok).toBe(false);
    expect(edit.output).toMatch(/262144/);
    const write = await run('write_file', { path: 'src/huge.ts', content: 'y'.repeat(workspaceLimits.maxFileBytes + 1) });
    expect(write.ok).toBe(false);
    expect(write.output).toMatch(/at most 262144 bytes/);
    const grow = await run('edit_file', { path: 'src/App.tsx', oldString: 'Hello', newString: 'z'.repeat(workspaceLimits.maxFileBytes) });
    expect(grow.ok).toBe(false);
  });

  it('replaces a hard-linked file instead of writing through the link', async () => {
    await writeFile(path.join(outsideDir, 'shared.ts'), 'export const shared = 1;\n');
    await link(path.join(outsideDir, 'shared.ts'), path.join(workspaceDir, 'src', 'shared.ts'));
    expect((await run('edit_file', { path: 'src/shared.ts', oldString: '1', newString: '2' })).ok).toBe(true);
    expect((await run('write_file', { path: 'src/shared.ts', content: 'export const shared = 3;\n' })).ok).toBe(true);
    expect(await readFile(path.join(outsideDir, 'shared.ts'), 'utf8')).toBe('export const shared = 1;\n');
    expect(await readFile(path.join(workspaceDir, 'src', 'shared.ts'), 'utf8')).toBe('export const shared = 3;\n');
  });
});

describe('list_files', () => {
  it('lists recursively, sorted, with sizes, skipping node_modules, dist and Vite caches', async () => {
    await mkdir(path.join(workspaceDir, '.vite'), { recursive: true });
    await writeFile(path.join(workspaceDir, '.vite', 'deps.json'), '{}');
    const result = await run('list_files', {});
    expect(result.ok).toBe(true);
    expect(result.output.split('\n')).toEqual([
      `big.txt (${workspaceLimits.maxFileBytes + 1} bytes)`,
      'dangling (symbolic link, not followed)',
      'link-out (symbolic link, not followed)',
      'secret-link.txt (symbolic link, not followed)',
      `src/App.tsx (${Buffer.byteLength(appSource)} bytes)`,
      'src/components/card.tsx (32 bytes)',
      'src/index.css (23 bytes)',
    ]);
    expect(result.summary).toBe('Listed 7 files in .');
  });

  it('lists a subdirectory and refuses a file or a missing directory', async () => {
    expect((await run('list_files', { path: 'src/components' })).output).toBe('src/components/card.tsx (32 bytes)');
    expect((await run('list_files', { path: 'src/App.tsx' })).output).toMatch(/is a file; use read_file/);
    expect((await run('list_files', { path: 'nope' })).output).toMatch(/does not exist/);
  });

  it('caps the number of files listed', async () => {
    await mkdir(path.join(workspaceDir, 'many'));
    await Promise.all(
      Array.from({ length: workspaceLimits.maxListedFiles + 5 }, (_, index) =>
        writeFile(path.join(workspaceDir, 'many', `f${index}.ts`), ''),
      ),
    );
    const result = await run('list_files', { path: 'many' });
    expect(result.output.split('\n')).toHaveLength(workspaceLimits.maxListedFiles + 1);
    expect(result.output).toMatch(/more files not shown \(limit 500\)/);
  });
});

describe('read_file', () => {
  it('numbers every line of the whole file', async () => {
    const result = await run('read_file', { path: 'src/App.tsx' });
    expect(result.output).toBe("1\timport { useState } from 'react';\n2\t\n3\texport function App() {\n4\t  return <h1>Hello</h1>;\n5\t}");
    expect(result.summary).toBe('Read src/App.tsx (5 lines)');
  });

  it('reads a line range, clamping an end past the file', async () => {
    expect((await run('read_file', { path: 'src/App.tsx', startLine: 3, endLine: 4 })).output).toBe(
      '3\texport function App() {\n4\t  return <h1>Hello</h1>;\n(lines 3–4 of 5)',
    );
    expect((await run('read_file', { path: 'src/App.tsx', startLine: 5, endLine: 99 })).output).toBe('5\t}\n(lines 5–5 of 5)');
    expect((await run('read_file', { path: 'src/App.tsx', endLine: 1 })).output).toBe(
      "1\timport { useState } from 'react';\n(lines 1–1 of 5)",
    );
  });

  it('explains invalid ranges, missing files, directories and binary files', async () => {
    expect((await run('read_file', { path: 'src/App.tsx', startLine: 9 })).output).toMatch(/has 5 lines; startLine 9 is past the end/);
    expect((await run('read_file', { path: 'src/App.tsx', startLine: 4, endLine: 2 })).output).toMatch(
      /endLine \(2\) is before startLine \(4\)/,
    );
    expect((await run('read_file', { path: 'src/App.tsx', startLine: 0 })).output).toMatch(/Invalid input for read_file/);
    expect((await run('read_file', { path: 'src/missing.ts' })).output).toMatch(/does not exist/);
    expect((await run('read_file', { path: 'src' })).output).toMatch(/is a directory/);
    await writeFile(path.join(workspaceDir, 'logo.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    expect((await run('read_file', { path: 'logo.png' })).output).toMatch(/binary file/);
    await writeFile(path.join(workspaceDir, 'empty.txt'), '');
    expect((await run('read_file', { path: 'empty.txt' })).output).toBe('(empty file)');
  });

  it('may read inside node_modules (type definitions), which is only write-protected', async () => {
    expect((await run('read_file', { path: 'node_modules/left-pad/index.js' })).ok).toBe(true);
  });
});

describe('write_file', () => {
  it('creates missing directories and returns a diff from /dev/null', async () => {
    const result = await run('write_file', { path: 'src/lib/format.ts', content: 'export const a = 1;\nexport const b = 2;\n' });
    expect(result).toMatchObject({ ok: true, summary: 'Created src/lib/format.ts (+2 −0)' });
    expect(result.output).toBe('Created src/lib/format.ts (40 bytes, 2 lines).');
    expect(result.diff).toBe('--- /dev/null\n+++ b/src/lib/format.ts\n@@ -0,0 +1,2 @@\n+export const a = 1;\n+export const b = 2;\n');
    expect(await readFile(path.join(workspaceDir, 'src', 'lib', 'format.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 2;\n');
    expect(await readdir(path.join(workspaceDir, 'src', 'lib'))).toEqual(['format.ts']);
  });

  it('returns a diff against the previous content when replacing', async () => {
    const result = await run('write_file', { path: 'src/App.tsx', content: appSource.replace('Hello', 'Tasks') });
    expect(result.summary).toBe('Updated src/App.tsx (+1 −1)');
    expect(result.diff).toBe(
      "--- a/src/App.tsx\n+++ b/src/App.tsx\n@@ -1,5 +1,5 @@\n import { useState } from 'react';\n \n export function App() {\n-  return <h1>Hello</h1>;\n+  return <h1>Tasks</h1>;\n }\n",
    );
  });

  it('refuses to replace a directory and rejects unknown input keys', async () => {
    expect((await run('write_file', { path: 'src', content: 'x' })).output).toMatch(/is a directory/);
    const extra = await run('write_file', { path: 'src/a.ts', content: 'x', mode: 0o777 });
    expect(extra.ok).toBe(false);
    expect(extra.output).toMatch(/Unrecognized key/);
  });
});

describe('edit_file', () => {
  it('replaces exactly one match and returns a diff', async () => {
    const result = await run('edit_file', {
      path: 'src/App.tsx',
      oldString: '<h1>Hello</h1>',
      newString: '<h1 className="text-2xl">Hello</h1>',
    });
    expect(result).toMatchObject({ ok: true, summary: 'Edited src/App.tsx (+1 −1)' });
    expect(result.diff).toContain('-  return <h1>Hello</h1>;\n+  return <h1 className="text-2xl">Hello</h1>;\n');
    expect(await readFile(path.join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toContain('<h1 className="text-2xl">Hello</h1>');
  });

  it('refuses zero matches, naming the count, with a whitespace hint when it applies', async () => {
    const missing = await run('edit_file', { path: 'src/App.tsx', oldString: 'Goodbye', newString: 'x' });
    expect(missing).toMatchObject({ ok: false });
    expect(missing.output).toMatch(/found 0 times in "src\/App.tsx"\. Read the file again/);
    const indented = await run('edit_file', { path: 'src/App.tsx', oldString: '    return <h1>Hello</h1>;', newString: 'x' });
    expect(indented.output).toMatch(/found 0 times.*whitespace is removed/);
  });

  it('refuses several matches, naming the count, and leaves the file unchanged', async () => {
    const result = await run('edit_file', { path: 'src/App.tsx', oldString: 'e', newString: 'E' });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/found 6 times in "src\/App.tsx"; it must match exactly once/);
    expect(await readFile(path.join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toBe(appSource);
  });

  it('counts overlapping matches', async () => {
    await writeFile(path.join(workspaceDir, 'a.txt'), 'aaa');
    expect((await run('edit_file', { path: 'a.txt', oldString: 'aa', newString: 'b' })).output).toMatch(/found 2 times/);
  });

  it('inserts newString literally ($ patterns are not special)', async () => {
    await run('edit_file', { path: 'src/App.tsx', oldString: 'Hello', newString: "$& $' $$" });
    expect(await readFile(path.join(workspaceDir, 'src', 'App.tsx'), 'utf8')).toContain("<h1>$& $' $$</h1>");
  });

  it('refuses an empty oldString, identical strings and missing files', async () => {
    expect((await run('edit_file', { path: 'src/App.tsx', oldString: '', newString: 'x' })).output).toMatch(/Invalid input/);
    expect((await run('edit_file', { path: 'src/App.tsx', oldString: 'Hello', newString: 'Hello' })).output).toMatch(/identical/);
    expect((await run('edit_file', { path: 'src/nope.tsx', oldString: 'a', newString: 'b' })).output).toMatch(/does not exist/);
  });
});

describe('search_files', () => {
  it('returns path:line: text for literal matches, skipping node_modules and dist', async () => {
    const result = await run('search_files', { query: 'Hello' });
    expect(result).toMatchObject({ ok: true, output: 'src/App.tsx:4: return <h1>Hello</h1>;', summary: 'Searched "Hello": 1 match' });
  });

  it('treats the query literally and filters by suffix', async () => {
    expect((await run('search_files', { query: '() => null' })).output).toBe('src/components/card.tsx:1: export const Card = () => null;');
    expect((await run('search_files', { query: 'export', glob: '*.css' })).output).toBe('No matches for "export".');
    expect((await run('search_files', { query: 'export', glob: '.tsx' })).output.split('\n')).toEqual([
      'src/App.tsx:3: export function App() {',
      'src/components/card.tsx:1: export const Card = () => null;',
    ]);
  });

  it('caps the number of results', async () => {
    await writeFile(path.join(workspaceDir, 'src', 'many.ts'), 'const needle = 1;\n'.repeat(150));
    const result = await run('search_files', { query: 'needle' });
    expect(result.output.split('\n')).toHaveLength(workspaceLimits.maxSearchResults + 1);
    expect(result.output).toMatch(/more matches not shown \(limit 100\)/);
    expect(result.summary).toBe('Searched "needle": 100+ matches');
  });
});
