import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProvider } from './offline-provider';
import { runConversation } from './testing/conversation-driver';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const templateDir = path.join(repoRoot, 'template');
const nodeModules = path.join(repoRoot, 'node_modules');
const canBuild = existsSync(path.join(nodeModules, 'vite')) && existsSync(path.join(nodeModules, 'typescript'));

/** Typecheck and build a workspace exactly as the template's scripts do, without a shell. */
async function typecheckAndBuild(workspace: string): Promise<void> {
  const options = { cwd: workspace, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 };
  await Promise.all([
    run(process.execPath, [path.join(nodeModules, 'typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], options),
    run(process.execPath, [path.join(nodeModules, 'vite/bin/vite.js'), 'build', '--logLevel', 'error'], options),
  ]);
}

async function writeFiles(workspace: string, files: Map<string, string>): Promise<void> {
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), content);
  }
}

describe.skipIf(!canBuild)('generated apps typecheck and build with the real template', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'hangar-offline-'));
    await cp(templateDir, workspace, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)/.test(path.relative(templateDir, source)) && !source.endsWith('.test.ts'),
    });
    await symlink(nodeModules, path.join(workspace, 'node_modules'), 'dir');
  });
  afterAll(async () => {
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('builds the leads app, then again after adding a priority field', { timeout: 240_000 }, async () => {
    const provider = new OfflineProvider();
    const files = new Map<string, string>();
    await runConversation(provider, 'a tracker for customer leads with name, email, company, status and next call date', files);
    await writeFiles(workspace, files);
    await typecheckAndBuild(workspace);
    expect(existsSync(path.join(workspace, 'dist/index.html'))).toBe(true);

    const followUp = await runConversation(provider, 'Follow-up: add a field priority', files);
    expect(followUp.calls.map((call) => call.name)).toContain('edit_file');
    await writeFiles(workspace, files);
    await rm(path.join(workspace, 'dist'), { recursive: true, force: true });
    await typecheckAndBuild(workspace);
    expect(existsSync(path.join(workspace, 'dist/index.html'))).toBe(true);
  });

  it('builds a prompt that uses every field kind', { timeout: 240_000 }, async () => {
    const files = new Map<string, string>();
    await runConversation(
      new OfflineProvider(),
      'a tracker for vendors with name, contact email, website, phone, headcount, annual budget, renewal date, active, tier (gold, silver, bronze) and notes',
      files,
    );
    expect(files.get('src/vendor-fields.ts')).toMatch(
      /kind: 'url'.*\n.*kind: 'phone'.*\n.*kind: 'number'.*\n.*kind: 'money'.*\n.*kind: 'date'.*\n.*kind: 'boolean'.*\n.*kind: 'status'.*\n.*kind: 'longtext'/,
    );
    const fresh = await mkdtemp(path.join(tmpdir(), 'hangar-offline-'));
    try {
      await cp(workspace, fresh, { recursive: true, verbatimSymlinks: true, filter: (source) => !source.includes(`${path.sep}dist`) });
      for (const file of ['src/lead-fields.ts']) await rm(path.join(fresh, file), { force: true });
      await writeFiles(fresh, files);
      await typecheckAndBuild(fresh);
      expect(existsSync(path.join(fresh, 'dist/index.html'))).toBe(true);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('builds an app with no status field (nothing to filter by)', { timeout: 240_000 }, async () => {
    const files = new Map<string, string>();
    await runConversation(new OfflineProvider(), 'An inventory of products with name, sku, quantity and price', files);
    expect(files.get('src/product-fields.ts')).not.toContain("kind: 'status'");
    const fresh = await mkdtemp(path.join(tmpdir(), 'hangar-offline-'));
    try {
      await cp(workspace, fresh, { recursive: true, verbatimSymlinks: true, filter: (source) => !source.includes(`${path.sep}dist`) });
      await rm(path.join(fresh, 'src/lead-fields.ts'), { force: true });
      await writeFiles(fresh, files);
      await typecheckAndBuild(fresh);
      expect(existsSync(path.join(fresh, 'dist/index.html'))).toBe(true);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
