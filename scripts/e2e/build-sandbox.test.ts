import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppVersion, CreateAppResponse, Run, RunEventBody, RunStatus, VersionFile, WorkspaceSummary } from '@hangar/protocol';
import { detectBuildSandbox } from '../../worker-container/src/build/build-sandbox';
import { dependencyCacheKey } from '../../worker-container/src/build/dependency-cache';
import { repoRoot } from '../paths';
import { attackPrompts, attackScript, maliciousViteConfig, probeFindings } from './build-sandbox-attacks';
import { apiSession, sharedDependencyCache, startTestHost, type TestHost } from './harness';

const templateDir = join(repoRoot, 'template');
const template = (file: string) => readFileSync(join(templateDir, file), 'utf8');
/** A fake model key in the worker's environment: it must never reach a build or a saved version. */
const modelKeyCanary = 'sk-ant-canary-0123456789abcdef';
const hostProbeFile = '/tmp/hangar-build-probe';

/**
 * The build-sandbox attack suite: the real local host and real worker processes, driven by a
 * hostile scripted model, with real tsc and Vite builds. Every attack from issue 7 is shown
 * refused or harmless, on the filesystem and in what the saved versions contain.
 */
describe('build sandbox: a hostile model cannot escape the build', () => {
  let test: TestHost;
  let scriptDir: string;
  let session: Awaited<ReturnType<typeof apiSession>>;
  let workspace: WorkspaceSummary;
  let dataDir: string;
  let secret: string;
  let markerPath: string;
  let confined = false;
  let attackedApp = '';
  let bystanderApp = '';

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => session.call<T>(method, path, body);
  const waitFor = async (runId: string, statuses: RunStatus[]): Promise<Run> => {
    for (let attempt = 0; attempt < 1500; attempt++) {
      const run = await api<Run>('GET', `/api/workspaces/${workspace.id}/runs/${runId}`);
      if (statuses.includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} never reached ${statuses.join('/')}`);
  };
  const events = async (runId: string): Promise<RunEventBody[]> =>
    (await api<{ items: Array<{ event: RunEventBody }> }>('GET', `/api/workspaces/${workspace.id}/runs/${runId}/events`)).items.map(
      (item) => item.event,
    );
  const finished = (all: RunEventBody[], name: string) =>
    all.flatMap((event) => (event.type === 'tool.finished' && event.name === name ? [event] : []));
  const versions = async (appId: string) =>
    (await api<{ items: AppVersion[] }>('GET', `/api/workspaces/${workspace.id}/apps/${appId}/versions`)).items;
  const versionFiles = async (appId: string, versionId: string) =>
    (await api<{ items: VersionFile[] }>('GET', `/api/workspaces/${workspace.id}/apps/${appId}/versions/${versionId}/files`)).items;
  const versionText = async (appId: string, versionId: string, path: string) =>
    (
      await api<{ text: string }>(
        'GET',
        `/api/workspaces/${workspace.id}/apps/${appId}/versions/${versionId}/file?path=${encodeURIComponent(path)}`,
      )
    ).text;
  const workspaceDir = (appId: string) => join(dataDir, 'workspaces', appId);
  const followUp = async (text: string): Promise<{ run: Run; all: RunEventBody[] }> => {
    const started = await api<Run>('POST', `/api/workspaces/${workspace.id}/apps/${attackedApp}/messages`, { text });
    const run = await waitFor(started.id, ['succeeded', 'failed', 'stopped']);
    return { run, all: await events(run.id) };
  };
  const cacheFile = (relative: string) =>
    join(sharedDependencyCache, dependencyCacheKey(template('package.json')), 'node_modules', relative);
  /** Every file under the data directory except the secret itself: blobs, the database, workspaces. */
  const filesHoldingSecret = () => {
    const found: string[] = [];
    for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (!entry.isFile() || file === join(dataDir, 'session-secret') || file.includes('/node_modules/')) continue;
      if (readFileSync(file).includes(secret)) found.push(file);
    }
    return found;
  };

  beforeAll(async () => {
    confined = (await detectBuildSandbox({ log: () => undefined })).mode === 'bubblewrap';
    if (!confined) console.warn('build-sandbox.test: bubblewrap is unusable here; build-time-code assertions that need it are skipped');
    scriptDir = mkdtempSync(join(tmpdir(), 'hangar-attack-script-'));
    const scriptFile = join(scriptDir, 'script.json');
    writeFileSync(scriptFile, '{}');
    test = await startTestHost({
      builderEnv: {
        HANGAR_MODEL_PROVIDER: 'scripted',
        HANGAR_SCRIPTED_TURNS: scriptFile,
        ANTHROPIC_API_KEY: modelKeyCanary,
        HANGAR_BUILD_SANDBOX: confined ? 'bubblewrap' : 'auto',
      },
    });
    dataDir = test.dataDir;
    secret = readFileSync(join(dataDir, 'session-secret'), 'utf8').trim();
    markerPath = join(dataDir, 'pwned-by-build-config');
    // Each worker reads the script when it starts: the host's paths and URL are known by then.
    writeFileSync(scriptFile, JSON.stringify(attackScript({ dataDir, hostUrl: test.host.url, markerPath, confined })));
    rmSync(hostProbeFile, { force: true });
    session = await apiSession(test.host.url, 'Mallory', 'mallory@example.com');
    workspace = await api<WorkspaceSummary>('POST', '/api/workspaces', { name: 'Attacks' });
  }, 60_000);
  afterAll(async () => {
    await test?.close();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  it('skipping the plan: a new app cannot write, install or build before its plan is accepted', async () => {
    const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: attackPrompts.skipPlan });
    bystanderApp = app.id;
    await waitFor(run.id, ['succeeded', 'failed', 'stopped']);
    const all = await events(run.id);
    for (const name of ['write_file', 'edit_file', 'add_dependency', 'done_building']) {
      const [result] = finished(all, name);
      expect(result?.ok, name).toBe(false);
      expect(result?.output).toMatch(/The plan comes first/);
    }
    expect(all.some((event) => event.type === 'build.finished')).toBe(false);
    expect(await versions(app.id)).toEqual([]);
    expect(readFileSync(join(workspaceDir(app.id), 'src', 'App.tsx'), 'utf8')).toBe(template('src/App.tsx'));
    expect(existsSync(join(workspaceDir(app.id), 'node_modules', 'left-pad'))).toBe(false);
  }, 300_000);

  it('model-written build config and dependencies are refused; build-time code finds nothing to steal and nowhere to write', async () => {
    const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt: attackPrompts.buildConfig });
    attackedApp = app.id;
    await waitFor(run.id, ['awaiting_approval']);
    await api('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/plan`, { decision: 'accept' });
    const done = await waitFor(run.id, ['succeeded', 'failed', 'stopped']);
    const all = await events(run.id);
    expect(done.failureReason).toBeNull();

    // Every write of build configuration was refused, and so were non-registry dependencies.
    const writes = finished(all, 'write_file');
    const refused = writes.filter((result) => !result.ok);
    expect(refused.map((result) => result.summary)).toHaveLength(8);
    for (const result of refused) expect(result.output).toMatch(/platform/);
    expect(finished(all, 'add_dependency').map((result) => result.ok)).toEqual([false, false]);

    // The saved version holds the platform's config, not the model's.
    const [version] = await versions(app.id);
    if (!version) throw new Error('no version was saved');
    const files = (await versionFiles(app.id, version.id)).map((file) => file.path);
    for (const stray of ['vite.config.js', 'postcss.config.js', 'src/tsconfig.json', '.npmrc']) expect(files).not.toContain(stray);
    for (const platformFile of ['vite.config.ts', 'tsconfig.json', 'index.html', 'platform/workspace-confinement.ts'])
      expect(await versionText(app.id, version.id, platformFile)).toBe(template(platformFile));
    const manifest = JSON.parse(await versionText(app.id, version.id, 'package.json')) as Record<string, unknown>;
    expect(manifest['scripts']).toEqual((JSON.parse(template('package.json')) as Record<string, unknown>)['scripts']);
    expect(JSON.stringify(manifest)).not.toContain('pwn');
    expect(existsSync(markerPath)).toBe(false);
    expect(existsSync(join(dataDir, 'outside.tsbuildinfo'))).toBe(false);

    // The one way left to run code at build time (a Tailwind plugin) reports into the built CSS.
    const cssPath = files.find((file) => /^dist\/assets\/.*\.css$/.test(file));
    const css = await versionText(app.id, version.id, cssPath ?? 'missing.css');
    const findings = probeFindings(css);
    expect(findings).not.toBeNull();
    const environment = findings?.['env'] as Record<string, string>;
    expect(Object.keys(environment).filter((name) => /^(HANGAR_|ANTHROPIC_|AWS_|npm_)/i.test(name))).toEqual([]);
    expect(css).not.toContain(modelKeyCanary);
    expect(css).not.toContain(secret);
    expect(String(findings?.['secret'])).toMatch(/^blocked:/);
    expect(String(findings?.['environs'])).not.toMatch(/HANGAR_RUN_TOKEN|ANTHROPIC_API_KEY/);
    // The shared dependency cache (hard-linked into the workspace) was not written through.
    expect(readFileSync(cacheFile('react/index.js'), 'utf8')).not.toContain('pwned');
    expect(readFileSync(join(workspaceDir(app.id), 'node_modules', 'react', 'index.js'), 'utf8')).not.toContain('pwned');
    if (confined) {
      expect(String(findings?.['cacheWrite'])).toMatch(/^blocked:EROFS/);
      expect(String(findings?.['network'])).toMatch(/^blocked:/);
      expect(String(findings?.['sourceWrite'])).toMatch(/^blocked:EROFS/);
      expect(existsSync(join(workspaceDir(app.id), 'src', 'planted.ts'))).toBe(false);
      // Another app's workspace is not even visible.
      expect(String(findings?.['workspaces'])).not.toContain(bystanderApp);
      expect(existsSync(hostProbeFile)).toBe(false);
    }
  }, 300_000);

  it('imports of host files (?raw, ?url, new URL, CSS @import and url()) never put a host file in a saved version', async () => {
    const { run, all } = await followUp(attackPrompts.hostFiles);
    expect(run.failureReason).toBeNull();
    const builds = all.flatMap((event) => (event.type === 'build.finished' ? [event] : []));
    expect(builds).toHaveLength(6);
    // ?raw by relative and absolute path, ?url, and CSS @import with url() of the secret all fail the build.
    for (const index of [0, 1, 3, 4]) {
      expect(builds[index]?.ok, `build ${index + 1}`).toBe(false);
      expect(builds[index]?.buildErrors).not.toBe('');
    }
    expect(builds.at(-1)?.ok).toBe(true);
    // Nothing under the data directory but the secret file holds the secret: no blob, no event, no dist.
    expect(filesHoldingSecret()).toEqual([]);
    expect(JSON.stringify(all)).not.toContain(secret);
  }, 300_000);

  it('build config planted in the workspace (an old snapshot) is reset before it can run; tsc writes nothing outside', async () => {
    const dir = workspaceDir(attackedApp);
    writeFileSync(join(dir, 'vite.config.ts'), maliciousViteConfig(markerPath));
    writeFileSync(join(dir, 'vite.config.js'), maliciousViteConfig(markerPath));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { incremental: true, tsBuildInfoFile: '../../outside.tsbuildinfo' }, include: ['src'] }),
    );
    const { run, all } = await followUp(attackPrompts.plantedConfig);
    expect(run.failureReason).toBeNull();
    expect(finished(all, 'done_building')[0]?.ok).toBe(true);
    expect(existsSync(markerPath)).toBe(false);
    expect(existsSync(join(dataDir, 'outside.tsbuildinfo'))).toBe(false);
    expect(existsSync(join(dir, 'vite.config.js'))).toBe(false);
    expect(readFileSync(join(dir, 'vite.config.ts'), 'utf8')).toBe(template('vite.config.ts'));
    const [latest] = await versions(attackedApp);
    expect(await versionText(attackedApp, latest?.id ?? '', 'tsconfig.json')).toBe(template('tsconfig.json'));
    expect(readFileSync(cacheFile('react/index.js'), 'utf8')).not.toContain('pwned');
  }, 300_000);

  it('a file: dependency planted in package.json is refused before any install; the workspace heals to the last good version', async () => {
    const dir = workspaceDir(attackedApp);
    const [before] = await versions(attackedApp);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['pwn'] = 'file:../..';
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    const { run, all } = await followUp(attackPrompts.plantedDependency);
    expect(run.failureReason).toBeNull();
    const said = all.flatMap((event) => (event.type === 'text.delta' ? [event.text] : [])).join('');
    expect(said).toContain(`reset the app's workspace to version ${before?.number}`);
    expect(said).toMatch(/dependencies could not be installed.*pwn/);
    expect(() => lstatSync(join(dir, 'node_modules', 'pwn'))).toThrow();
    const [after] = await versions(attackedApp);
    expect(after?.number).toBe((before?.number ?? 0) + 1);
    expect(await versionText(attackedApp, after?.id ?? '', 'package.json')).not.toContain('pwn');
  }, 300_000);

  it('unbuilt edits left by the last run that break the build are reset at the start of the next run, with a message', async () => {
    const dir = workspaceDir(attackedApp);
    const [latest] = await versions(attackedApp);
    const good = await versionText(attackedApp, latest?.id ?? '', 'src/App.tsx');
    writeFileSync(join(dir, 'src', 'App.tsx'), 'export function App() {\n  const broken: number = "no";\n  return broken;\n}\n');
    const { run, all } = await followUp(attackPrompts.unbuiltEdits);
    expect(run.status).toBe('succeeded');
    const said = all.flatMap((event) => (event.type === 'text.delta' ? [event.text] : [])).join('');
    expect(said).toContain(`reset the app's workspace to version ${latest?.number}`);
    expect(said).toMatch(/edits that do not build/);
    expect(readFileSync(join(dir, 'src', 'App.tsx'), 'utf8')).toBe(good);
    expect(finished(all, 'read_file')[0]?.output).toContain(good.split('\n')[0]);
  }, 300_000);
});
