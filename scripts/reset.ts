import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { acquireDataDirLock, DataDirInUseError } from '../functions/src/entrypoints/data-dir-lock';
import { dataDirFromEnvironment } from './paths';

/**
 * `npm run reset`: deletes the local data directory's contents (database, session secret,
 * snapshots, workspaces) after a confirmation, or at once with `--yes`. Refuses while a host
 * runs on it. The shared dependency cache is kept: it holds no data and is slow to rebuild.
 */
async function main() {
  const dataDir = dataDirFromEnvironment();
  if (!existsSync(dataDir)) {
    console.log(`Nothing to reset: ${dataDir} does not exist.`);
    return;
  }
  const lock = acquireDataDirLock(dataDir);
  try {
    const entries = readdirSync(dataDir).filter((name) => name !== 'host.lock' && name !== 'dependency-cache');
    if (!process.argv.includes('--yes')) {
      const prompt = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await prompt.question(
        `Delete all local Hangar data in ${dataDir} (${entries.join(', ') || 'empty'})? Type "reset" to confirm: `,
      );
      prompt.close();
      if (answer.trim() !== 'reset') {
        console.log('Nothing deleted.');
        return;
      }
    }
    for (const name of entries) rmSync(join(dataDir, name), { recursive: true, force: true });
    console.log(`Local data in ${dataDir} deleted. The next \`npm start\` begins fresh.`);
  } finally {
    lock.release();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});
