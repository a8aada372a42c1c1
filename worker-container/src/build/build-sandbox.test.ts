import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment, scrubbedEnvironment } from './build-environment';
import { detectBuildSandbox, type BuildSandbox } from './build-sandbox';
import { runCommand } from './run-command';

let root: string;
let workspace: string;
let secretFile: string;
let server: Server;
let serverUrl: string;

/** Runs a Node script through the sandbox, as the build gate runs tsc and vite. */
async function runConfined(sandbox: BuildSandbox, script: string, env: Record<string, string> = {}) {
  const command = await sandbox.confine({
    file: process.execPath,
    args: ['-e', script],
    workspaceDir: workspace,
    writableDirs: ['dist'],
    scratchDirs: ['node_modules/.vite-temp'],
    env: buildEnvironment(env),
  });
  const outcome = await runCommand(command.file, command.args, {
    cwd: workspace,
    timeoutMs: 60_000,
    env: command.env,
    ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid ?? command.uid } : {}),
  });
  expect(outcome.stderr).toBe('');
  return JSON.parse(outcome.stdout) as Record<string, string>;
}

/** What build-time code tries: the environment, a host file, the network, writes everywhere. */
const probe = (url: string) => `
const fs = require('node:fs');
const attempt = (action) => { try { return 'ok:' + String(action()); } catch (error) { return 'blocked:' + error.code; } };
fetch(${JSON.stringify(url)}).then((r) => 'ok:' + r.status, (e) => 'blocked:' + (e.cause?.code ?? e.name)).then((network) => {
  console.log(JSON.stringify({
    env: Object.keys(process.env).sort().join(','),
    secret: attempt(() => fs.readFileSync(${JSON.stringify(secretFile)}, 'utf8')),
    parentEnviron: attempt(() => fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8').includes('HANGAR_RUN_TOKEN')),
    dist: attempt(() => { fs.writeFileSync('dist/out.txt', 'built'); return 'wrote'; }),
    source: attempt(() => { fs.writeFileSync('src/planted.ts', 'x'); return 'wrote'; }),
    cache: attempt(() => { fs.appendFileSync('node_modules/pkg/index.js', 'pwned'); return 'wrote'; }),
    scratch: attempt(() => { fs.writeFileSync('node_modules/.vite-temp/config.mjs', 'x'); return 'wrote'; }),
    network,
  }));
});`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-build-sandbox-'));
  // Like /var/hangar in the container: the build uid may enter the workspace, not read the secret.
  await chmod(root, 0o755);
  workspace = path.join(root, 'workspaces', 'app');
  secretFile = path.join(root, 'session-secret');
  await writeFile(secretFile, 'top-secret', { mode: 0o600 });
  await chmod(secretFile, 0o600);
  await mkdir(path.join(workspace, 'src'), { recursive: true });
  await mkdir(path.join(workspace, 'node_modules', 'pkg'), { recursive: true });
  await writeFile(path.join(workspace, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
  server = createServer((_request, response) => response.end('reachable'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  process.env['HANGAR_RUN_TOKEN'] = 'run-token-canary';
});

afterAll(async () => {
  delete process.env['HANGAR_RUN_TOKEN'];
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('build environment', () => {
  it('gives builds a fixed allowlist and refuses secret-looking extras', () => {
    expect(Object.keys(buildEnvironment({ VITE_HANGAR_APP_NAME: 'Leads' })).sort()).toEqual(
      ['BROWSERSLIST_IGNORE_OLD_DATA', 'FORCE_COLOR', 'HOME', 'LANG', 'NO_COLOR', 'PATH', 'TMPDIR', 'VITE_HANGAR_APP_NAME'].sort(),
    );
    for (const name of ['ANTHROPIC_API_KEY', 'HANGAR_RUN_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'MY_TOKEN']) {
      expect(() => buildEnvironment({ [name]: 'x' })).toThrow(/Refusing/);
    }
  });

  it('strips platform variables and credentials from what npm sees', () => {
    const scrubbed = scrubbedEnvironment({
      PATH: '/usr/bin',
      HOME: '/root',
      ANTHROPIC_API_KEY: 'k',
      HANGAR_RUN_TOKEN: 't',
      HANGAR_CONTROL_PLANE_URL: 'u',
      AWS_ACCESS_KEY_ID: 'a',
      GITHUB_TOKEN: 'g',
      npm_config_local_prefix: '/x',
    });
    expect(Object.keys(scrubbed).sort()).toEqual(['FORCE_COLOR', 'HOME', 'NO_COLOR', 'PATH']);
  });
});

describe('bubblewrap sandbox', () => {
  it('runs with nothing of the worker: no environment, no host files, no network, no writes but dist/', async (context) => {
    const sandbox = await detectBuildSandbox({ log: () => undefined });
    if (sandbox.mode !== 'bubblewrap') {
      console.warn(`bubblewrap sandbox test skipped: ${sandbox.description}`);
      context.skip();
    }
    const seen = await runConfined(sandbox, probe(serverUrl), { VITE_HANGAR_APP_NAME: 'Leads' });
    expect(seen['env']).not.toMatch(/HANGAR_RUN_TOKEN|ANTHROPIC|AWS_/);
    expect(seen['env']).toContain('VITE_HANGAR_APP_NAME');
    expect(seen['secret']).toBe('blocked:ENOENT');
    expect(seen['parentEnviron']).not.toBe('ok:true');
    expect(seen['network']).toMatch(/^blocked:/);
    expect(seen['dist']).toBe('ok:wrote');
    expect(seen['source']).toBe('blocked:EROFS');
    expect(seen['cache']).toBe('blocked:EROFS');
    expect(seen['scratch']).toBe('ok:wrote');
    expect(await readFile(path.join(workspace, 'dist', 'out.txt'), 'utf8')).toBe('built');
    expect(await readFile(path.join(workspace, 'node_modules', 'pkg', 'index.js'), 'utf8')).toBe('module.exports = 1;\n');
    await expect(readFile(path.join(workspace, 'node_modules', '.vite-temp', 'config.mjs'))).rejects.toThrow(/ENOENT/);
  });

  it('falls back with a printed warning where bubblewrap is missing, and refuses to when it is required', async () => {
    const warnings: string[] = [];
    const sandbox = await detectBuildSandbox({ bubblewrapPath: path.join(root, 'no-bwrap'), log: (line) => warnings.push(line) });
    expect(sandbox.mode).toBe('unconfined');
    expect(warnings.join('\n')).toMatch(/WARNING: bubblewrap is unusable/);
    await expect(detectBuildSandbox({ setting: 'bubblewrap', bubblewrapPath: path.join(root, 'no-bwrap') })).rejects.toThrow(
      /not installed/,
    );
    // Unconfined still scrubs the environment.
    const seen = await runConfined(sandbox, probe(serverUrl));
    expect(seen['env']).not.toMatch(/HANGAR_RUN_TOKEN/);
  });
});

describe('separate-user sandbox (Fargate)', () => {
  it('runs the build as a second uid that cannot read the worker-only files or write the dependency cache', async (context) => {
    if (process.getuid?.() !== 0) {
      console.warn('separate-user sandbox test skipped: it needs the worker to be root, as it is in the container');
      context.skip();
    }
    const sandbox = await detectBuildSandbox({ setting: 'separate-user', buildUid: 65534, log: () => undefined });
    await rm(path.join(workspace, 'dist'), { recursive: true, force: true });
    const seen = await runConfined(sandbox, probe(serverUrl));
    expect(seen['secret']).toBe('blocked:EACCES');
    expect(seen['parentEnviron']).not.toBe('ok:true');
    expect(seen['cache']).toBe('blocked:EACCES');
    expect(seen['dist']).toBe('ok:wrote');
    expect(seen['env']).not.toMatch(/HANGAR_RUN_TOKEN/);
  });
});
