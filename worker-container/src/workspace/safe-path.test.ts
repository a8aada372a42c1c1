import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside, validateRelativePath } from './safe-path';
import { ToolError } from './tool-error';

let root: string;
let workspace: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'hangar-safe-path-')));
  workspace = path.join(root, 'workspace');
  await mkdir(path.join(workspace, 'src'), { recursive: true });
  await mkdir(path.join(root, 'workspace-sibling'));
  await writeFile(path.join(workspace, 'src', 'App.tsx'), '');
  await writeFile(path.join(workspace, 'file.txt'), '');
  await symlink(path.join(workspace, 'src'), path.join(workspace, 'source'));
  await symlink(path.join(root, 'workspace-sibling'), path.join(workspace, 'sibling'));
  await symlink('loop-b', path.join(workspace, 'loop-a'));
  await symlink('loop-a', path.join(workspace, 'loop-b'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function refusal(relativePath: string, access: 'read' | 'write' = 'read'): Promise<ToolError> {
  const error: unknown = await resolveInside(workspace, relativePath, access).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ToolError)) throw new Error(`expected a ToolError for ${JSON.stringify(relativePath)}, got ${String(error)}`);
  return error;
}

describe('resolveInside', () => {
  it('resolves and normalizes paths inside the workspace, existing or not', async () => {
    expect(await resolveInside(workspace, 'src/App.tsx')).toEqual({
      absolutePath: path.join(workspace, 'src', 'App.tsx'),
      relativePath: 'src/App.tsx',
    });
    expect((await resolveInside(workspace, './src//new/deep.ts', 'write')).relativePath).toBe('src/new/deep.ts');
    expect((await resolveInside(workspace, '.')).relativePath).toBe('.');
  });

  it('follows a symlink that stays inside and reports where it lands', async () => {
    expect(await resolveInside(workspace, 'source/App.tsx')).toEqual({
      absolutePath: path.join(workspace, 'src', 'App.tsx'),
      relativePath: 'src/App.tsx',
    });
  });

  it.each([
    ['../workspace-sibling/x', 'invalid_path'],
    ['sibling/x', 'outside_workspace'],
    ['/etc/passwd', 'invalid_path'],
    ['C:/Windows', 'invalid_path'],
    ['~/x', 'invalid_path'],
    ['a\0b', 'invalid_path'],
    ['a\\b', 'invalid_path'],
    ['', 'invalid_path'],
    ['a/'.repeat(300), 'invalid_path'],
    [`${'n'.repeat(256)}.ts`, 'invalid_path'],
    ['file.txt/inner.ts', 'not_a_directory'],
    ['loop-a/x', 'invalid_path'],
  ])('refuses %j with %s', async (relativePath, code) => {
    expect((await refusal(relativePath)).code).toBe(code);
  });

  it('a sibling directory whose name starts like the root is still outside', async () => {
    expect((await refusal('sibling')).message).toMatch(/outside the workspace/);
  });

  it('refuses the root and protected directories for writes only', async () => {
    expect((await refusal('.', 'write')).code).toBe('invalid_path');
    expect((await refusal('node_modules/react/index.js', 'write')).code).toBe('protected_path');
    expect((await refusal('dist/index.html', 'write')).code).toBe('protected_path');
    expect((await refusal('.git/HEAD', 'write')).code).toBe('protected_path');
    expect((await resolveInside(workspace, 'node_modules/react/index.js')).relativePath).toBe('node_modules/react/index.js');
  });

  it('splits into clean segments', () => {
    expect(validateRelativePath('./a//b/./c')).toEqual(['a', 'b', 'c']);
  });
});
