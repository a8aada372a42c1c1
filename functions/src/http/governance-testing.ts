import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessRulesFileName, type AccessRules, type CreateAppResponse, type WorkspaceSummary } from '@hangar/protocol';
import type { VersionRecord } from '../domain/records';
import type { Clock } from '../ports/clock';
import type { RunLauncher } from '../ports/run-launcher';
import { createTestApp, type TestClient } from './testing';

export const idleLauncher: RunLauncher = { kind: 'none', launch: () => Promise.resolve(), stop: () => Promise.resolve() };

export type GovernanceCaller = 'owner' | 'admin' | 'creator' | 'collaborator' | 'member' | 'viewer' | 'foreign';

/** A workspace with one app (made by `creator`), every role, and a foreign admin; for governance suites. */
export async function governanceWorld(options: { clock?: Clock } = {}) {
  const blobDir = mkdtempSync(join(tmpdir(), 'hangar-governance-'));
  const test = await createTestApp({ builder: { launcher: idleLauncher, blobDir, ...(options.clock ? { clock: options.clock } : {}) } });
  const owner = await test.signIn('Olive Owner', 'olive@example.com');
  const admin = await test.signIn('Adam Admin', 'adam@example.com');
  const creator = await test.signIn('Cleo Creator', 'cleo@example.com');
  const collaborator = await test.signIn('Cole Collab', 'cole@example.com');
  const member = await test.signIn('Mia Member', 'mia@example.com');
  const viewer = await test.signIn('Vic Viewer', 'vic@example.com');
  const foreign = await test.signIn('Fay Foreign', 'fay@example.com');
  const workspace: WorkspaceSummary = await test.workspaceWith(owner, [
    [admin, 'admin'],
    [creator, 'member'],
    [collaborator, 'member'],
    [member, 'member'],
    [viewer, 'viewer'],
  ]);
  await test.workspaceWith(foreign, []);
  const clients: Record<GovernanceCaller, TestClient> = { owner, admin, creator, collaborator, member, viewer, foreign };
  const w = `/api/workspaces/${workspace.id}`;
  const created = (await (await creator.request('POST', `${w}/apps`, { prompt: 'A tracker for leads' })).json()) as CreateAppResponse;
  const builder = test.builder;
  if (!builder) throw new Error('builder missing');
  // The first run stays queued (nobody launches it); stop it so the app accepts new runs and deletion.
  await creator.request('POST', `${w}/runs/${created.run.id}/stop`);

  /** Records a version as a worker would: blobs first, then the manifest (which fires the review hook). */
  const buildVersion = async (files: Record<string, string>, rules?: AccessRules, appId = created.app.id): Promise<VersionRecord> => {
    const all = rules ? { ...files, [accessRulesFileName]: JSON.stringify(rules) } : files;
    const manifest = [];
    for (const [path, text] of Object.entries(all)) {
      const bytes = new TextEncoder().encode(text);
      manifest.push({ path, sha256: await builder.blobs.put(bytes), size: bytes.byteLength });
    }
    return builder.worker.createVersion(workspace.id, appId, manifest, { runId: null, restoredFrom: null });
  };

  return {
    test,
    clients,
    workspace,
    app: created.app,
    w,
    a: `${w}/apps/${created.app.id}`,
    buildVersion,
    async close() {
      await test.close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
export type GovernanceWorld = Awaited<ReturnType<typeof governanceWorld>>;

/** Requests, approves and publishes a version. */
export async function publishVersion(world: GovernanceWorld, versionId: string): Promise<void> {
  const { creator, admin } = world.clients;
  const requested = await creator.request('POST', `${world.a}/reviews`, { versionId });
  if (requested.status !== 201) throw new Error(`review: ${requested.status} ${await requested.text()}`);
  const review = (await requested.json()) as { id: string };
  const decided = await admin.request('POST', `${world.w}/reviews/${review.id}/decision`, { decision: 'approve' });
  if (decided.status !== 200) throw new Error(`decision: ${decided.status} ${await decided.text()}`);
  const published = await admin.request('POST', `${world.a}/publish`, { versionId });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${await published.text()}`);
}
