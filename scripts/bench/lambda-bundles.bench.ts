import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleExternals, bundleTarget, lambdaEntries } from '../../infra/src/lambda-bundles';
import { repoRoot } from '../paths';
import { format, percentile, printTable } from './measure';

const coldStarts = 5;

/** Builds one Lambda entry as the CDK app does; answers the bundle's path, or null when the entry is not present. */
export async function bundleLambda(entry: string, outDir: string): Promise<string | null> {
  const source = path.join(repoRoot, 'functions', 'src', 'entrypoints', entry);
  if (!existsSync(source)) return null;
  const bundle = path.join(outDir, entry.replace(/\.ts$/, ''), 'index.js');
  await build({ entryPoints: [source], bundle: true, outfile: bundle, external: bundleExternals, logLevel: 'error', ...bundleTarget });
  return bundle;
}

/** Milliseconds to load the bundle in a fresh Node process: what a Lambda cold start spends on module init. */
export function coldInitMs(bundle: string): number {
  // The Node.js Lambda runtime's global for response streaming (the model gateway needs it at load).
  const runtimeGlobals = 'globalThis.awslambda={streamifyResponse:(h)=>h,HttpResponseStream:{from:(s)=>s}};';
  const probe = `${runtimeGlobals}const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t));`;
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
  // The last lines say what threw; a minified bundle's source line before them can be megabytes.
  if (result.status !== 0) throw new Error(`loading ${bundle} failed: ${result.stderr.slice(-1500)}`);
  return Number(result.stdout);
}

/** Each Lambda bundle (as the CDK app builds it): its size and its cold module-initialization time. */
export async function benchLambdaBundles(): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'hangar-bench-lambda-'));
  try {
    const rows: [string, string][] = [];
    for (const entry of lambdaEntries) {
      const started = performance.now();
      const bundle = await bundleLambda(entry, out);
      const buildMs = performance.now() - started;
      if (!bundle) {
        rows.push([entry, 'not present on this branch']);
        continue;
      }
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
