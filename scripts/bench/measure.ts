/** Runs `work` `iterations` times and returns per-call durations in milliseconds. */
export async function sample(iterations: number, work: (index: number) => unknown): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await work(i);
    durations.push(performance.now() - start);
  }
  return durations;
}

/**
 * Runs `measure` `warmups` times unrecorded (JIT, connection pools, caches), then `repetitions`
 * times; answers the recorded results, one per repetition.
 */
export async function repeat<T>(
  options: { warmups: number; repetitions: number },
  measure: (repetition: number) => Promise<T>,
): Promise<T[]> {
  for (let index = 0; index < options.warmups; index++) await measure(-1 - index);
  const results: T[] = [];
  for (let index = 0; index < options.repetitions; index++) results.push(await measure(index));
  return results;
}

/** Nearest-rank percentile (0–100): the value at or below which `p` % of the values lie. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Linear-interpolated quantile (0–1), so the median of an even count is the mean of the middle two. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export const perSecond = (durations: number[]) => durations.length / (durations.reduce((sum, d) => sum + d, 0) / 1000);

export const format = (value: number, digits = 2) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Times one async action in milliseconds. */
export async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await action();
  return [result, performance.now() - started];
}

export function printTable(title: string, rows: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}
