import type { AppVersion, VersionDiff } from '@hangar/protocol';
import type { BlobStore } from '../ports/blob-store';
import type { DocumentStore } from '../ports/document-store';
import type { AuditLog } from './audit-log';
import { toVersion } from './builder-mappers';
import type { BuilderService } from './builder-service';
import { NotFoundError } from './errors';
import { builderCollections, type AppRecord, type VersionRecord } from './records';
import type { RunWorkerService } from './run-worker-service';
import { unifiedDiff } from './text-diff';
import { auditActorOf, type Actor, type WorkspaceAccess } from './workspace-access';

const maxDiffBytes = 256 * 1024;
const textual = /\.(tsx?|jsx?|css|html|json|md|svg|txt|mjs|cjs)$/;

/** Versions of an app: read, diff two of them, restore one as a new version. */
export class VersionService {
  constructor(
    private readonly store: DocumentStore,
    private readonly access: WorkspaceAccess,
    private readonly audit: AuditLog,
    private readonly builder: BuilderService,
    private readonly worker: RunWorkerService,
    private readonly blobs: BlobStore,
  ) {}

  private versions() {
    return this.store.collection<VersionRecord>(builderCollections.versions);
  }

  async version(actor: Actor, workspaceId: string, appId: string, versionId: string): Promise<VersionRecord> {
    await this.builder.app(actor, workspaceId, appId);
    const version = await this.versions().findOne({ _id: versionId, workspaceId, appId });
    if (!version) throw new NotFoundError('Version not found.');
    return version;
  }

  /** One file's text from a version (the code viewer). */
  async fileText(actor: Actor, workspaceId: string, appId: string, versionId: string, path: string): Promise<string> {
    const version = await this.version(actor, workspaceId, appId, versionId);
    const file = version.files.find((candidate) => candidate.path === path);
    if (!file) throw new NotFoundError('No such file in this version.');
    const bytes = await this.blobs.get(file.sha256);
    if (!bytes) throw new NotFoundError('The file content is missing.');
    return new TextDecoder().decode(bytes);
  }

  async diff(actor: Actor, workspaceId: string, appId: string, fromId: string, toId: string): Promise<VersionDiff> {
    const from = await this.version(actor, workspaceId, appId, fromId);
    const to = await this.version(actor, workspaceId, appId, toId);
    const before = new Map(from.files.map((file) => [file.path, file]));
    const after = new Map(to.files.map((file) => [file.path, file]));
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
    const files: VersionDiff['files'] = [];
    for (const path of paths) {
      const a = before.get(path);
      const b = after.get(path);
      if (a && b && a.sha256 === b.sha256) continue;
      const change = !a ? 'added' : !b ? 'removed' : 'modified';
      let diff: string | null = null;
      if (textual.test(path) && (a?.size ?? 0) <= maxDiffBytes && (b?.size ?? 0) <= maxDiffBytes) {
        const read = async (sha?: string) => (sha ? new TextDecoder().decode((await this.blobs.get(sha)) ?? new Uint8Array()) : '');
        diff = unifiedDiff(path, await read(a?.sha256), await read(b?.sha256));
      }
      files.push({ path, change, diff });
    }
    return { from: fromId, to: toId, files };
  }

  /** Restores an old version as a new one; the next run's workspace is rebuilt from it. */
  async restore(actor: Actor, workspaceId: string, appId: string, versionId: string): Promise<AppVersion> {
    await this.access.require(workspaceId, actor, 'apps.build');
    const source = await this.version(actor, workspaceId, appId, versionId);
    // The restored files show the name they were built with; the app takes it back so the console agrees.
    if (source.appName !== undefined) {
      await this.store
        .collection<AppRecord>(builderCollections.apps)
        .updateOne({ _id: appId, workspaceId }, { $set: { name: source.appName } });
    }
    const restored = await this.worker.createVersion(workspaceId, appId, source.files, { runId: null, restoredFrom: source._id });
    await this.audit.record({
      workspaceId,
      actor: auditActorOf(actor),
      source: actor.source,
      action: 'version.restored',
      target: { type: 'app', id: appId },
      metadata: {
        from: source._id,
        fromNumber: source.number,
        newVersion: restored._id,
        ...(source.appName ? { name: source.appName } : {}),
      },
    });
    return toVersion(restored);
  }
}
