import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type Bench, printFigureTable, requiredFigureNames, tableOnlyBench, writeFigureJson } from './bench/bench-report';
import { browserToBrowserBench } from './bench/browser-to-browser.bench';
import { benchBuildSandbox } from './bench/build-sandbox.bench';
import { workspaceBuildsBench } from './bench/builder.bench';
import { documentStoreBench } from './bench/document-store.bench';
import { FigureRegistry } from './bench/figures';
import { liveDataBench } from './bench/live-data.bench';
import { promptToPreviewBench } from './bench/prompt-to-preview.bench';
import { runStreamBench } from './bench/run-stream.bench';
import { benchLambdaBundles } from './bench/lambda-bundles.bench';

/**
 * Every bench, in run order. To add one: export a `Bench` ({ name, run(figures) }) from
 * scripts/bench/<name>.bench.ts and add one line here; a bench that only prints a table can be
 * listed as `tableOnlyBench('name', benchFunction)` until it records figures.
 */
/** The build sandbox's cost: the same one-shot gate confined and not, in alternating rounds. */
const buildSandboxBench: Bench = {
  name: 'build_sandbox',
  async run(figures) {
    const measured = await benchBuildSandbox();
    if (!measured) return;
    const oneShot = 'one-shot tsc ∥ vite build (no warm process)';
    figures.record({
      name: 'build.unsandboxed_done_building_ms',
      unit: 'ms',
      description: `done_building unconfined, ${oneShot}, alternating rounds`,
      samples: measured.unsandboxed,
    });
    figures.record({
      name: 'build.sandboxed_done_building_ms',
      unit: 'ms',
      description: `the same gate inside the build sandbox, same rounds`,
      samples: measured.sandboxed,
      baseline: 'build.unsandboxed_done_building_ms',
    });
    figures.record({
      name: 'build.sandbox_overhead_ratio',
      unit: 'ratio',
      description: 'sandboxed ÷ unsandboxed, per round',
      samples: measured.ratios,
      baseline: 'build.unsandboxed_done_building_ms',
    });
  },
};

const benches: Bench[] = [
  documentStoreBench,
  runStreamBench,
  liveDataBench,
  workspaceBuildsBench,
  buildSandboxBench,
  promptToPreviewBench,
  browserToBrowserBench,
  tableOnlyBench('lambda_bundles', benchLambdaBundles),
];

const usage = 'usage: npm run bench -- [--json <file>] [--only <bench>[,<bench>...]]';

/** `npm run bench`: measures, prints a table per bench and one of all figures, and optionally writes them as JSON. */
async function main() {
  const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(`${usage}\nbenches: ${benches.map((bench) => bench.name).join(', ')}`);
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !benches.some((bench) => bench.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}; ${usage}`);
  const selected = only ? benches.filter((bench) => only.includes(bench.name)) : benches;

  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg();
  console.log(
    `Hangar bench · node ${process.version} · ${startedAt} · load ${loadAverageAtStart.map((load) => load.toFixed(1)).join(' ')} · ${selected.map((bench) => bench.name).join(', ')}`,
  );
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const registry = new FigureRegistry();
  for (const bench of selected) await bench.run(registry.recorderFor(bench.name));

  printFigureTable(registry.all());
  const missing = only ? [] : registry.missing(requiredFigureNames);
  if (missing.length > 0) console.warn(`\nmissing required figures: ${missing.join(', ')}`);
  if (values.json) {
    writeFigureJson(values.json, registry, { startedAt, loadAverageAtStart, benches: selected.map((bench) => bench.name), missing });
    console.log(`\nfigures written to ${values.json}`);
  }
  if (missing.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
