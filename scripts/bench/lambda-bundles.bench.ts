import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleExternals, bundleTarget, lambdaEntries } from '../../infra/src/lambda-bundles';
import { repoRoot } from '../paths';
import { format, percentile, printTable } from './measure';

const coldStarts = 5;

/** Milliseconds to load the bundle in a fresh Node process: what a Lambda cold start spends on module init. */
function coldInitMs(bundle: string): number {
  const probe = `const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t));`;
  const result = spawnSync(process.execPath, ['-e', probe], {
    // The runtime provides the AWS SDK; here it resolves from the repository's node_modules.
    env: {
      PATH: process.env.PATH,
      NODE_PATH: path.join(repoRoot, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`loading ${bundle} failed: ${result.stderr}`);
  return Number(result.stdout);
}

/** Each Lambda bundle (as the CDK app builds it): its size and its cold module-initialization time. */
export async function benchLambdaBundles(): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'hangar-bench-lambda-'));
  try {
    const rows: [string, string][] = [];
    for (const entry of lambdaEntries) {
      const source = path.join(repoRoot, 'functions', 'src', 'entrypoints', entry);
      if (!existsSync(source)) {
        rows.push([entry, 'not present on this branch']);
        continue;
      }
      const bundle = path.join(out, entry.replace(/\.ts$/, ''), 'index.js');
      const started = performance.now();
      await build({ entryPoints: [source], bundle: true, outfile: bundle, external: bundleExternals, logLevel: 'error', ...bundleTarget });
      const buildMs = performance.now() - started;
      const inits = Array.from({ length: coldStarts }, () => coldInitMs(bundle));
      const kib = statSync(bundle).size / 1024;
      rows.push([
        entry,
        `${format(kib, 0)} KiB · cold init p50 ${format(percentile(inits, 50), 0)} ms, max ${format(Math.max(...inits), 0)} ms (${coldStarts} fresh processes) · esbuild ${format(buildMs, 0)} ms`,
      ]);
    }
    printTable('Lambda bundles (esbuild, AWS SDK v3 external, minified CJS)', rows);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
