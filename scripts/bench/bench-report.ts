import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import type { Figure, FigureRecorder, FigureRegistry } from './figures';
import { format } from './measure';

/** One bench of `npm run bench`: a name (for `--only`) and a run that records its figures. */
export interface Bench {
  name: string;
  run(figures: FigureRecorder): Promise<void>;
}

/**
 * Wraps a bench that only prints its own table (no figures), e.g. one written before the figure
 * registry: it runs, its table prints, and nothing reaches the JSON until it records figures.
 */
export const tableOnlyBench = (name: string, run: () => Promise<void>): Bench => ({ name, run: () => run() });

/** Figure names the JSON must always carry (issue 12); a full run reports any that are missing. */
export const requiredFigureNames = [
  'live_data.p50_ms',
  'live_data.p99_ms',
  'live_data.raw_ws_p50_ms',
  'live_data.p50_ratio_vs_raw_ws',
  'live_data.knee_deliveries_per_s',
  'live_data.sdk_path_deliveries_per_s',
  'build.first_done_building_ms',
  'build.follow_up_done_building_ms',
  'build.cold_install_and_build_ms',
  'build.speedup_vs_cold',
  'prompt_to_preview.offline_ms',
  'browser_to_browser.p50_ms',
  'store.insert_ratio_vs_raw_sqlite',
] as const;

const unitSuffix: Record<Figure['unit'], string> = { ms: ' ms', 'deliveries/s': ' /s', 'ops/s': ' /s', 'queries/s': ' /s', ratio: '×' };

function show(value: number, unit: Figure['unit']): string {
  const digits = unit === 'ratio' || Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0;
  return `${format(value, digits)}${unitSuffix[unit]}`;
}

/** The table for people: one line per figure with its spread, baseline ratio and target. */
export function printFigureTable(figures: readonly Figure[]): void {
  const rows = figures.map((figure) => {
    const spread = `${show(figure.spread.min, figure.unit)} … ${show(figure.spread.max, figure.unit)} (n=${figure.repetitions})`;
    const versus =
      figure.baseline && figure.unit !== 'ratio' && figure.ratio !== null ? `${format(figure.ratio, 2)}× ${figure.baseline.name}` : '';
    const target =
      figure.target === null
        ? ''
        : `${'at_most' in figure.target ? `≤ ${show(figure.target.at_most, figure.unit)}` : `≥ ${show(figure.target.at_least, figure.unit)}`} ${figure.meetsTarget ? 'met' : 'MISSED'}`;
    return [figure.name, show(figure.median, figure.unit), spread, versus, target];
  });
  const header = ['figure', 'median', 'spread (min … max)', 'vs baseline', 'target'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  console.log('\nFigures (median of repetitions after warm-up)');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** Writes every figure, keyed by name, with the run's context, for machines. */
export function writeFigureJson(
  file: string,
  registry: FigureRegistry,
  run: { startedAt: string; loadAverageAtStart: number[]; benches: string[]; missing: string[] },
): void {
  const figures: Record<string, Omit<Figure, 'name'>> = {};
  for (const { name, ...rest } of registry.all()) figures[name] = rest;
  const document = {
    schema: 'hangar.bench/1',
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      // Shared machines: the 1/5/15-minute load says how much of the CPU the bench really had.
      loadAverageAtStart: run.loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
    },
    benches: run.benches,
    missing: run.missing,
    figures,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
}
