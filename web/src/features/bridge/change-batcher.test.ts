import type { DataChange } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { ChangeBatcher } from './change-batcher';
import { FakeTimers } from './fake-timers.test-support';

const change = (seq: number): DataChange => ({ operation: 'insert', documentId: `d${seq}`, document: null, epoch: 'e1', seq });

function setup() {
  const timers = new FakeTimers();
  const delivered: { collection: string; seqs: number[] }[] = [];
  const batcher = new ChangeBatcher((collection, changes) => delivered.push({ collection, seqs: changes.map((each) => each.seq) }), timers);
  return { timers, delivered, batcher };
}

describe('ChangeBatcher', () => {
  it('delivers a lone change on the next tick', () => {
    const { timers, delivered, batcher } = setup();
    batcher.push('tasks', change(1));
    expect(delivered).toEqual([]);
    timers.advance(0);
    expect(delivered).toEqual([{ collection: 'tasks', seqs: [1] }]);
  });

  it('coalesces a burst per collection and flushes at most every 50 ms', () => {
    const { timers, delivered, batcher } = setup();
    batcher.push('tasks', change(1));
    timers.advance(0);
    for (let seq = 2; seq <= 5; seq += 1) batcher.push('tasks', change(seq));
    batcher.push('notes', change(1));
    timers.advance(49);
    expect(delivered).toHaveLength(1);
    timers.advance(1);
    expect(delivered).toEqual([
      { collection: 'tasks', seqs: [1] },
      { collection: 'tasks', seqs: [2, 3, 4, 5] },
      { collection: 'notes', seqs: [1] },
    ]);
    expect(timers.scheduled).toBe(0);
  });

  it('splits a large burst into messages of at most 500 changes, in order', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 1_200; seq += 1) batcher.push('tasks', change(seq));
    timers.advance(0);
    expect(delivered.map((batch) => batch.seqs.length)).toEqual([500, 500, 200]);
    expect(delivered.flatMap((batch) => batch.seqs)).toEqual(Array.from({ length: 1_200 }, (_, index) => index + 1));
  });

  it('drops a collection that is resynchronized and forgets everything on clear', () => {
    const { timers, delivered, batcher } = setup();
    batcher.push('tasks', change(1));
    batcher.push('notes', change(1));
    batcher.drop('tasks');
    timers.advance(0);
    expect(delivered).toEqual([{ collection: 'notes', seqs: [1] }]);
    batcher.push('notes', change(2));
    batcher.clear();
    timers.advance(100);
    expect(delivered).toHaveLength(1);
    expect(batcher.pending).toBe(0);
  });
});
