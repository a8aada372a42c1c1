import { median, quantile } from './measure';

/** What a figure counts. Ratios are dimensionless (`×`). */
export type FigureUnit = 'ms' | 'deliveries/s' | 'ops/s' | 'queries/s' | 'ratio';

/** A target from the issue that set it, e.g. `{ at_most: 50 }`. */
export type FigureTarget = { at_most: number } | { at_least: number };

export interface FigureInput {
  /** Stable, dotted, machine-readable: `area.what_unit`, e.g. `live_data.p50_ms`. Never renamed lightly. */
  name: string;
  unit: FigureUnit;
  /** One line saying exactly what was measured. */
  description: string;
  /** One value per repetition, each measured after the bench's warm-up. */
  samples: readonly number[];
  /** The figure this one is compared with; its median must already be recorded (same run). */
  baseline?: string;
  target?: FigureTarget;
}

/** One figure as written to the JSON file. */
export interface Figure {
  name: string;
  unit: FigureUnit;
  description: string;
  median: number;
  /** The spread of the repetitions: min, quartiles, max. */
  spread: { min: number; p25: number; p75: number; max: number };
  repetitions: number;
  samples: number[];
  /** The figure compared with (measured in the same run), or null. */
  baseline: { name: string; unit: FigureUnit; median: number } | null;
  /** `median / baseline.median` when a baseline is given (for a ratio figure, the figure itself). */
  ratio: number | null;
  target: FigureTarget | null;
  meetsTarget: boolean | null;
  /** The bench that recorded it. */
  bench: string;
}

/** What a bench gets to report through: record a figure, read back one it recorded earlier. */
export interface FigureRecorder {
  record(input: FigureInput): Figure;
  get(name: string): Figure | undefined;
}

const namePattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** Collects every figure of one `npm run bench`; names are unique across benches. */
export class FigureRegistry {
  private readonly figures = new Map<string, Figure>();

  /** A recorder that tags figures with the bench that recorded them. */
  recorderFor(bench: string): FigureRecorder {
    return { record: (input) => this.record(bench, input), get: (name) => this.figures.get(name) };
  }

  private record(bench: string, input: FigureInput): Figure {
    if (!namePattern.test(input.name)) throw new Error(`figure name '${input.name}' is not area.snake_case`);
    const existing = this.figures.get(input.name);
    if (existing) throw new Error(`figure ${input.name} recorded twice (by ${existing.bench} and ${bench}): one of them must go`);
    const samples = input.samples.filter((value) => Number.isFinite(value));
    if (samples.length === 0) throw new Error(`figure ${input.name} has no finite samples`);
    const value = median(samples);
    const base = input.baseline === undefined ? undefined : this.figures.get(input.baseline);
    if (input.baseline !== undefined && !base) throw new Error(`figure ${input.name}: baseline ${input.baseline} is not recorded yet`);
    const ratio = base === undefined ? null : input.unit === 'ratio' ? value : value / base.median;
    const target = input.target ?? null;
    const figure: Figure = {
      name: input.name,
      unit: input.unit,
      description: input.description,
      median: value,
      spread: { min: Math.min(...samples), p25: quantile(samples, 0.25), p75: quantile(samples, 0.75), max: Math.max(...samples) },
      repetitions: samples.length,
      samples: [...samples],
      baseline: base ? { name: base.name, unit: base.unit, median: base.median } : null,
      ratio,
      target,
      meetsTarget: target === null ? null : 'at_most' in target ? value <= target.at_most : value >= target.at_least,
      bench,
    };
    this.figures.set(figure.name, figure);
    return figure;
  }

  all(): Figure[] {
    return [...this.figures.values()];
  }

  /** Names from `required` that no bench recorded. */
  missing(required: readonly string[]): string[] {
    return required.filter((name) => !this.figures.has(name));
  }
}
