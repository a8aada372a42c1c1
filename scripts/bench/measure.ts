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

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const perSecond = (durations: number[]) => durations.length / (durations.reduce((sum, d) => sum + d, 0) / 1000);

export const format = (value: number, digits = 2) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

export function printTable(title: string, rows: [string, string][]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}
