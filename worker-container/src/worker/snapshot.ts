import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { snapshotLimits as limits, type AppVersion, type VersionFile } from '@hangar/protocol';
import type { ControlPlaneClient } from './control-plane-client';

/** Marks which version a workspace was last synchronised with. */
export const versionMarker = '.hangar-version';
const skipped = new Set(['node_modules', '.git', versionMarker]);

export class SnapshotTooLargeError extends Error {}

/** Every file of the workspace that belongs in a snapshot (sources, config and dist/), sorted. */
export async function collectWorkspaceFiles(workspaceDir: string): Promise<{ path: string; bytes: Uint8Array }[]> {
  const files: { path: string; bytes: Uint8Array }[] = [];
  let total = 0;
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(workspaceDir, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (skipped.has(entry.name) || entry.name.startsWith('.vite')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) {
        const bytes = new Uint8Array(await readFile(path.join(workspaceDir, child)));
        if (bytes.byteLength > limits.maxFileBytes)
          throw new SnapshotTooLargeError(`${child} is ${bytes.byteLength} bytes; a snapshot file may be at most ${limits.maxFileBytes}.`);
        total += bytes.byteLength;
        files.push({ path: child, bytes });
        if (files.length > limits.maxFiles) throw new SnapshotTooLargeError(`The workspace has more than ${limits.maxFiles} files.`);
        if (total > limits.maxTotalBytes) throw new SnapshotTooLargeError(`The workspace is larger than ${limits.maxTotalBytes} bytes.`);
      }
    }
  };
  await walk('');
  return files;
}

/** Uploads the blobs the control plane lacks, then records the version (all or nothing). */
export async function recordSnapshot(client: ControlPlaneClient, workspaceDir: string): Promise<AppVersion> {
  const files = await collectWorkspaceFiles(workspaceDir);
  const manifest: VersionFile[] = files.map((file) => ({
    path: file.path,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    size: file.bytes.byteLength,
  }));
  const missing = new Set(await client.missingBlobs([...new Set(manifest.map((file) => file.sha256))]));
  for (const [index, file] of files.entries()) {
    const sha = manifest[index]?.sha256;
    if (sha && missing.has(sha)) {
      await client.putBlob(file.bytes);
      missing.delete(sha);
    }
  }
  const version = await client.recordVersion(manifest);
  await writeFile(path.join(workspaceDir, versionMarker), version.id);
  return version;
}

/** Rewrites a workspace's files from a version (keeping node_modules), e.g. after worker churn or a restore. */
export async function restoreWorkspace(
  client: ControlPlaneClient,
  workspaceDir: string,
  version: { id: string; files: VersionFile[] },
): Promise<void> {
  await mkdir(workspaceDir, { recursive: true });
  for (const entry of await readdir(workspaceDir)) {
    if (entry !== 'node_modules') await rm(path.join(workspaceDir, entry), { recursive: true, force: true });
  }
  for (const file of version.files) {
    const target = path.join(workspaceDir, file.path);
    if (!target.startsWith(workspaceDir + path.sep)) throw new Error(`refusing to restore ${file.path}: outside the workspace`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await client.getBlob(file.sha256));
  }
  await writeFile(path.join(workspaceDir, versionMarker), version.id);
}

/** The version id a workspace was last synchronised with, or null. */
export async function workspaceVersion(workspaceDir: string): Promise<string | null> {
  try {
    return (await readFile(path.join(workspaceDir, versionMarker), 'utf8')).trim();
  } catch {
    return null;
  }
}
