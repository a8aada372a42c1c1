import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentVariables } from '@hangar/protocol';

/** The repository root (scripts/ lives directly under it). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const webDir = join(repoRoot, 'web');
export const webDistDir = join(webDir, 'dist');

/** `.hangar/` in the repo root unless HANGAR_DATA_DIR moves it. */
export function dataDirFromEnvironment(): string {
  const configured = process.env[environmentVariables.dataDir];
  return configured ? resolve(configured) : join(repoRoot, '.hangar');
}
