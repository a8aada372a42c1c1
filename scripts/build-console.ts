import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, webDir, webDistDir } from './paths';

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestModification(join(path, entry)));
  }
  return newest;
}

/** Builds the console when web/dist is missing or older than its sources. */
export function ensureConsoleBuilt(log: (message: string) => void = console.log): void {
  const index = join(webDistDir, 'index.html');
  const sources = [webDir, join(repoRoot, 'protocol', 'src')];
  const stale = !existsSync(index) || sources.some((source) => newestModification(source) > statSync(index).mtimeMs);
  if (!stale) return;
  log('Building the console (web/)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('The console build failed; see the output above.');
}
