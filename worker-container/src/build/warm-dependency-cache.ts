/**
 * Installs the template's dependencies into the shared cache ahead of time, e.g. as a layer of the
 * worker image: `npx tsx worker-container/src/build/warm-dependency-cache.ts <templateDir> <cacheRoot>`
 * (or HANGAR_TEMPLATE_DIR / HANGAR_DEPENDENCY_CACHE_DIR). Prints the cache directory.
 */
import path from 'node:path';
import { ensureDependencyCache } from './dependency-cache';

const templateDir = process.argv[2] ?? process.env['HANGAR_TEMPLATE_DIR'];
const cacheRoot = process.argv[3] ?? process.env['HANGAR_DEPENDENCY_CACHE_DIR'];
if (!templateDir || !cacheRoot) {
  console.error('usage: warm-dependency-cache.ts <templateDir> <cacheRoot>');
  process.exit(2);
}
const cache = await ensureDependencyCache({ templateDir: path.resolve(templateDir), cacheRoot: path.resolve(cacheRoot), log: console.log });
console.log(`${cache.installed ? 'installed' : 'already present'}: ${cache.directory} (${cache.durationMs} ms)`);
