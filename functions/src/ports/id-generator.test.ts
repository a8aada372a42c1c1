import { describe, expect, it } from 'vitest';
import { createSortableIdGenerator } from './id-generator';

describe('sortable ids', () => {
  it('strictly increase within one millisecond and across time', () => {
    let time = 1_700_000_000_000;
    const next = createSortableIdGenerator(() => time);
    const ids: string[] = [];
    for (let i = 0; i < 2000; i++) {
      ids.push(next('aud'));
      if (i % 500 === 0) time += 1;
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^aud_[0-9A-Z]{26}$/);
  });
  it('never goes backwards when the clock does', () => {
    let time = 2_000;
    const next = createSortableIdGenerator(() => time);
    const first = next('x');
    time = 1_000;
    expect(next('x') > first).toBe(true);
  });
});
