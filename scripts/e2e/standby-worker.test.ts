import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAppResponse, Run, RunEvent, WorkspaceSummary } from '@hangar/protocol';
import { defaultBuildSandbox } from '../../worker-container/src/build/build-sandbox';
import { apiSession, startTestHost, type TestHost } from './harness';

const bubblewrap = (await defaultBuildSandbox()).mode === 'bubblewrap';

/**
 * The local host with a standby worker (as `npm start` runs it), the offline generator and real
 * builds: a new app's run is handed to the standby and builds in the workspace it prepared; an
 * existing app's run starts its own worker and leaves the standby alone.
 */
describe.skipIf(!bubblewrap)('standby worker (needs bubblewrap: .ci/install-bubblewrap.sh)', { timeout: 300_000 }, () => {
  let test: TestHost;
  let session: Awaited<ReturnType<typeof apiSession>>;
  let workspace: WorkspaceSummary;
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => session.call<T>(method, path, body);
  const workspacesDir = () => join(test.dataDir, 'workspaces');
  /** The standby's prepared workspace: its name and its inode (a rename keeps the inode). */
  const preparedWorkspace = () => {
    const names = readdirSync(workspacesDir()).filter((name) => name.startsWith('.standby-'));
    expect(names).toHaveLength(1);
    const name = names[0] ?? '';
    return { name, inode: statSync(join(workspacesDir(), name)).ino };
  };
  /** Runs to the end, accepting the plan of a new app when it is shown. */
  const finish = async (runId: string): Promise<Run> => {
    for (let attempt = 0; attempt < 1500; attempt++) {
      const run = await api<Run>('GET', `/api/workspaces/${workspace.id}/runs/${runId}`);
      if (['succeeded', 'failed', 'stopped'].includes(run.status)) return run;
      if (run.status === 'awaiting_approval')
        await api('POST', `/api/workspaces/${workspace.id}/runs/${runId}/plan`, { decision: 'accept' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`run ${runId} did not end`);
  };
  const buildsOf = async (runId: string) =>
    (await api<{ items: RunEvent[] }>('GET', `/api/workspaces/${workspace.id}/runs/${runId}/events`)).items
      .map((item) => item.event)
      .filter((event) => event.type === 'build.finished');

  beforeAll(async () => {
    test = await startTestHost({ builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' }, standbyWorker: true });
    session = await apiSession(test.host.url, 'Standby', 'standby@example.com');
    workspace = await api<WorkspaceSummary>('POST', '/api/workspaces', { name: 'Standby' });
  }, 300_000);
  afterAll(async () => {
    await test?.close();
  });

  it("builds a new app in the standby's prepared workspace, and gives an existing app's run a worker of its own", async () => {
    await test.host.launcher?.standbyReady();
    const prepared = preparedWorkspace();

    const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, {
      prompt: 'An inventory of products with name, sku, quantity and price',
    });
    const built = await finish(run.id);
    expect(built).toMatchObject({ status: 'succeeded' });
    // The prepared directory itself became the app's workspace (renamed: same inode), with the built app in it.
    const appDir = join(workspacesDir(), app.id);
    expect(statSync(appDir).ino).toBe(prepared.inode);
    expect(existsSync(join(workspacesDir(), prepared.name))).toBe(false);
    expect(existsSync(join(appDir, 'dist', 'index.html'))).toBe(true);
    expect(await buildsOf(run.id)).toEqual([expect.objectContaining({ ok: true })]);
    const created = await api<{ latestVersionId: string | null }>('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`);
    expect(created.latestVersionId).not.toBeNull();

    // Once no run works, the next standby prepares its own workspace.
    await test.host.launcher?.standbyReady();
    const next = preparedWorkspace();
    expect(next.name).not.toBe(prepared.name);

    // A follow-up is an existing app's run: its own worker, the same workspace, and the standby untouched.
    const followUp = await api<Run>('POST', `/api/workspaces/${workspace.id}/apps/${app.id}/messages`, {
      text: 'Add a field for the supplier',
    });
    expect(await finish(followUp.id)).toMatchObject({ status: 'succeeded' });
    expect(statSync(appDir).ino).toBe(prepared.inode);
    expect(preparedWorkspace()).toEqual(next);
  });
});
