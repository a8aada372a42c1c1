import { access, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuildGate, type BuildResult } from '../build/build-gate';
import { defaultBuildSandbox } from '../build/build-sandbox';
import { templateDependencyCache, templateDir } from '../build/testing/template-cache';
import { stopWarmTypeCheckers, warmTypeCheckers } from '../build/warm-type-check';
import { spareViteBuilds, stopSpareViteBuilds } from '../build/warm-vite-build';
import { adoptStandbyWorkspace, discardStandbyWorkspace, prepareStandbyWorkspace, readAssignment } from './standby';
import { Readable } from 'node:stream';

let root: string;
let workspacesDir: string;
let cacheRoot: string;
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
const reported = (result: BuildResult) => ({ ok: result.ok, typecheckErrors: result.typecheckErrors, buildErrors: result.buildErrors });
const bubblewrap = (await defaultBuildSandbox()).mode === 'bubblewrap';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hangar-standby-'));
  workspacesDir = path.join(root, 'workspaces');
  // The tests' shared template cache: installed once, like the worker's.
  cacheRoot = path.dirname((await templateDependencyCache()).directory);
}, 300_000);

afterAll(async () => {
  stopWarmTypeCheckers();
  stopSpareViteBuilds();
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!bubblewrap)(
  "a standby worker's prepared workspace (needs bubblewrap: .ci/install-bubblewrap.sh)",
  { timeout: 300_000 },
  () => {
    const config = () => ({ workspacesDir, templateDir, dependencyCacheDir: cacheRoot });

    it("becomes a new app's workspace with its warm processes, and builds exactly as a cold build does", async () => {
      // A standby of a killed host left its workspace behind: the next one removes it.
      await mkdir(path.join(workspacesDir, '.standby-999999999', 'src'), { recursive: true });
      const standby = await prepareStandbyWorkspace(config(), () => undefined);
      expect(standby).not.toBeNull();
      if (!standby) return;
      expect(await exists(path.join(workspacesDir, '.standby-999999999'))).toBe(false);
      expect(path.basename(standby.dir)).toBe(`.standby-${process.pid}`);
      await standby.warm;
      expect(warmTypeCheckers()).toEqual([expect.objectContaining({ workspaceDir: standby.dir })]);

      const appDir = path.join(workspacesDir, 'app_new');
      expect(await adoptStandbyWorkspace(standby, appDir)).toBe(true);
      expect(await exists(standby.dir)).toBe(false);
      expect(warmTypeCheckers()).toEqual([expect.objectContaining({ workspaceDir: appDir })]);
      expect(spareViteBuilds()).toEqual([expect.objectContaining({ workspaceDir: appDir })]);

      // What the model writes: a type error and a missing module in a new file, a changed template component, a missing stylesheet.
      const app = path.join(appDir, 'src/App.tsx');
      const original = await readFile(app, 'utf8');
      await writeFile(
        path.join(appDir, 'src/broken.ts'),
        "import { missing } from './not-there';\nexport const count: number = 'three';\nexport const uses = missing;\n",
      );
      await writeFile(app, `import { uses } from './broken';\n${original}\nexport const used = uses;\n`);
      const component = path.join(appDir, 'src/components/ui/empty-state.tsx');
      await writeFile(component, (await readFile(component, 'utf8')).replace('  title: ReactNode;', '  heading: ReactNode;'));
      const styles = path.join(appDir, 'src/index.css');
      const originalStyles = await readFile(styles, 'utf8');
      await writeFile(styles, `@import './not-there.css';\n${originalStyles}`);
      const warm = await runBuildGate({ workspaceDir: appDir, templateDir });
      const cold = await runBuildGate({ workspaceDir: appDir, templateDir, typeCheck: 'cold', bundler: 'cold' });
      expect(warm.steps).toMatchObject({ typeChecker: 'warm', bundler: 'warm' });
      expect(reported(warm)).toEqual(reported(cold));
      expect(warm.ok).toBe(false);
      expect(warm.typecheckErrors).toMatch(/^src\/broken\.ts\(2,14\): error TS2322/m);
      // App.tsx's use of the component was not edited: the checker warmed on the template re-checks what depends on the change.
      expect(warm.typecheckErrors).toMatch(/^src\/App\.tsx\(\d+,\d+\): error TS2322: /m);
      expect(warm.buildErrors).toMatch(/Could not resolve '\.\/not-there' in src\/broken\.ts/);
      // Tailwind names the directory by its absolute path, which the gate shortens.
      expect(warm.buildErrors).toMatch(/Can't resolve '\.\/not-there\.css' in 'src'/);
      // Answers speak of the app's directory, never of the standby's.
      expect(`${warm.typecheckErrors}${warm.buildErrors}`).not.toContain('.standby-');

      await rm(path.join(appDir, 'src/broken.ts'));
      await writeFile(app, original);
      await writeFile(styles, originalStyles);
      await writeFile(component, (await readFile(component, 'utf8')).replace('  heading: ReactNode;', '  title: ReactNode;'));
      const fixed = await runBuildGate({ workspaceDir: appDir, templateDir });
      expect(fixed).toMatchObject({ ok: true, steps: { typeChecker: 'warm', bundler: 'warm' } });
      expect(await exists(path.join(appDir, 'dist/index.html'))).toBe(true);
      stopWarmTypeCheckers();
      stopSpareViteBuilds();
    });

    it("is not adopted over an app's existing files, and a discarded one leaves nothing running", async () => {
      const standby = await prepareStandbyWorkspace(config(), () => undefined);
      expect(standby).not.toBeNull();
      if (!standby) return;
      const appDir = path.join(workspacesDir, 'app_existing');
      await mkdir(appDir, { recursive: true });
      await writeFile(path.join(appDir, 'keep.txt'), 'an earlier run of this app\n');
      expect(await adoptStandbyWorkspace(standby, appDir)).toBe(false);
      expect(await readdir(appDir)).toEqual(['keep.txt']);
      const pids = warmTypeCheckers()
        .filter((checker) => checker.workspaceDir === standby.dir)
        .map((checker) => checker.pid);
      expect(pids).toHaveLength(1);
      await discardStandbyWorkspace(standby);
      expect(await exists(standby.dir)).toBe(false);
      expect(warmTypeCheckers().filter((checker) => checker.workspaceDir === standby.dir)).toEqual([]);
      expect(spareViteBuilds().filter((spare) => spare.workspaceDir === standby.dir)).toEqual([]);
      for (const pid of pids) expect(() => process.kill(pid ?? 0, 0)).toThrow();
    });
  },
);

describe('the standby assignment line', () => {
  const assignment = { runId: 'run_01', runToken: 'token', controlPlaneUrl: 'http://127.0.0.1:8787' };
  it('is read once, validated, with unknown keys refused', async () => {
    await expect(readAssignment(Readable.from([`\n${JSON.stringify(assignment)}\n`]))).resolves.toEqual(assignment);
    await expect(readAssignment(Readable.from([`${JSON.stringify({ ...assignment, extra: 1 })}\n`]))).rejects.toThrow(/not valid/);
    await expect(readAssignment(Readable.from([`${JSON.stringify({ ...assignment, controlPlaneUrl: 'file:///etc' })}\n`]))).rejects.toThrow(
      /not valid/,
    );
    await expect(readAssignment(Readable.from(['{not json\n']))).rejects.toThrow(/not JSON/);
    await expect(readAssignment(Readable.from([]))).rejects.toThrow(/closed before/);
  });
});
