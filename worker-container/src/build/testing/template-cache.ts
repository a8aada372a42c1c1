import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDependencyCache } from '../dependency-cache';

/** The real template the generated apps start from. */
export const templateDir = path.resolve(import.meta.dirname, '../../../../template');

/**
 * The template's real dependency cache for tests, kept between test runs (keyed by the template's
 * package.json like any cache) so only the first run pays for `npm install`.
 */
export function templateDependencyCache() {
  const cacheRoot = process.env['HANGAR_TEST_DEPENDENCY_CACHE'] ?? path.join(tmpdir(), 'hangar-test-dependency-cache');
  return ensureDependencyCache({ templateDir, cacheRoot });
}
