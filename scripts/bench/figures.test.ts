import { describe, expect, it } from 'vitest';
import { FigureRegistry } from './figures';

describe('FigureRegistry', () => {
  it('reports the median, the spread and the ratio to a baseline recorded in the same run', () => {
    const registry = new FigureRegistry();
    const figures = registry.recorderFor('demo');
    figures.record({ name: 'demo.raw_ms', unit: 'ms', description: 'floor', samples: [2, 1, 3] });
    const figure = figures.record({
      name: 'demo.path_ms',
      unit: 'ms',
      description: 'path',
      samples: [10, 4, 6, 8],
      baseline: 'demo.raw_ms',
      target: { at_most: 5 },
    });
    expect(figure).toMatchObject({
      median: 7,
      spread: { min: 4, p25: 5.5, p75: 8.5, max: 10 },
      repetitions: 4,
      baseline: { name: 'demo.raw_ms', median: 2 },
      ratio: 3.5,
      meetsTarget: false,
      bench: 'demo',
    });
    const ratio = figures.record({
      name: 'demo.path_ratio',
      unit: 'ratio',
      description: 'r',
      samples: [3, 4, 5],
      baseline: 'demo.raw_ms',
      target: { at_least: 4 },
    });
    expect(ratio).toMatchObject({ median: 4, ratio: 4, meetsTarget: true });
    expect(registry.missing(['demo.raw_ms', 'demo.other_ms'])).toEqual(['demo.other_ms']);
  });

  it('refuses duplicate names, unknown baselines, malformed names and empty samples', () => {
    const figures = new FigureRegistry().recorderFor('demo');
    figures.record({ name: 'demo.once_ms', unit: 'ms', description: '', samples: [1] });
    expect(() => figures.record({ name: 'demo.once_ms', unit: 'ms', description: '', samples: [1] })).toThrow(/recorded twice/);
    expect(() => figures.record({ name: 'demo.late_ms', unit: 'ms', description: '', samples: [1], baseline: 'demo.none' })).toThrow(
      /baseline/,
    );
    expect(() => figures.record({ name: 'Demo Bad', unit: 'ms', description: '', samples: [1] })).toThrow(/area.snake_case/);
    expect(() => figures.record({ name: 'demo.nan_ms', unit: 'ms', description: '', samples: [Number.NaN] })).toThrow(/no finite samples/);
  });
});
