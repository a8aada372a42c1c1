import { AccessRules, accessRulesFileName, type VersionFile } from '@hangar/protocol';
import type { BlobStore } from '../ports/blob-store';
import { BadRequestError } from './errors';
import { hashValue } from './redact';

/**
 * The access rules a version declares in `hangar.access.json`: null when it has none (every
 * collection is then admins-only once published), BadRequestError when the file is invalid, so
 * an unreadable manifest can never be approved by mistake.
 */
export async function readAccessRules(blobs: BlobStore, files: VersionFile[]): Promise<AccessRules | null> {
  const file = files.find((candidate) => candidate.path === accessRulesFileName);
  if (!file) return null;
  const bytes = await blobs.get(file.sha256);
  if (!bytes) throw new BadRequestError(`${accessRulesFileName} of this version is missing its content.`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new BadRequestError(`${accessRulesFileName} is not valid JSON.`);
  }
  const parsed = AccessRules.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`${accessRulesFileName} is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

/** The content hash of a version: its sorted file manifest hashed, so the same bytes give the same hash. */
export async function contentHashOf(files: VersionFile[]): Promise<string> {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((file) => `${file.path}\u0000${file.sha256}\u0000${file.size}`);
  return hashValue(lines.join('\n'));
}
