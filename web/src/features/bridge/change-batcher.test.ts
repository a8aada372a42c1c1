import type { DataChange } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { ChangeBatcher } from './change-batcher';
import { FakeTimers } from './fake-timers.test-support';

const change = (seq: number): DataChange => ({ operation: 'insert', documentId: `d${seq}`, document: null, epoch: 'e1', seq });

function setup() {
  const timers = new FakeTimers();
  const delivered: { collection: string; seqs: number[]; at: number }[] = [];
  const batcher = new ChangeBatcher(
    (collection, changes) => delivered.push({ collection, seqs: changes.map((each) => each.seq), at: timers.now() }),
    timers,
  );
  return { timers, delivered, batcher };
}

describe('ChangeBatcher', () => {
  it('delivers a lone change at the end of the task, with no timer', () => {
    const { timers, delivered, batcher } = setup();
    batcher.push('tasks', change(1));
    expect(delivered).toEqual([]);
    timers.runMicrotasks();
    expect(delivered).toEqual([{ collection: 'tasks', seqs: [1], at: 1_000 }]);
    expect(timers.scheduled).toBe(0);
  });

  it('keeps the changes of one task together, per collection', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 3; seq += 1) batcher.push('tasks', change(seq));
    batcher.push('notes', change(1));
    timers.runMicrotasks();
    expect(delivered.map(({ collection, seqs }) => ({ collection, seqs }))).toEqual([
      { collection: 'tasks', seqs: [1, 2, 3] },
      { collection: 'notes', seqs: [1] },
    ]);
  });

  it('flushes at once while idle: changes a few milliseconds apart each go out without waiting', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 4; seq += 1) {
      batcher.push('tasks', change(seq));
      timers.runMicrotasks();
      expect(delivered.at(-1)).toEqual({ collection: 'tasks', seqs: [seq], at: timers.now() });
      timers.advance(5);
    }
    expect(timers.scheduled).toBe(0);
  });

  it('batches under load: past 4 flushes in 50 ms, changes wait for the window and go out together', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 4; seq += 1) {
      batcher.push('tasks', change(seq));
      timers.advance(1);
    }
    expect(delivered).toHaveLength(4);
    // The first flush was at t=1000; the window frees up at t=1050.
    for (let seq = 5; seq <= 9; seq += 1) {
      batcher.push('tasks', change(seq));
      timers.advance(1);
    }
    expect(delivered).toHaveLength(4);
    timers.advance(1_050 - timers.now() - 1);
    expect(delivered).toHaveLength(4);
    timers.advance(1);
    expect(delivered.at(-1)).toEqual({ collection: 'tasks', seqs: [5, 6, 7, 8, 9], at: 1_050 });
    expect(timers.scheduled).toBe(0);
  });

  it('is immediate again after a quiet period', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 6; seq += 1) {
      batcher.push('tasks', change(seq));
      timers.advance(1);
    }
    timers.advance(200);
    const before = delivered.length;
    batcher.push('tasks', change(7));
    timers.runMicrotasks();
    expect(delivered).toHaveLength(before + 1);
    expect(delivered.at(-1)?.seqs).toEqual([7]);
  });

  it('splits a large burst into messages of at most 500 changes, in order', () => {
    const { timers, delivered, batcher } = setup();
    for (let seq = 1; seq <= 1_200; seq += 1) batcher.push('tasks', change(seq));
    timers.runMicrotasks();
    expect(delivered.map((batch) => batch.seqs.length)).toEqual([500, 500, 200]);
    expect(delivered.flatMap((batch) => batch.seqs)).toEqual(Array.from({ length: 1_200 }, (_, index) => index + 1));
  });

  it('drops a collection that is resynchronized and forgets everything on clear', () => {
    const { timers, delivered, batcher } = setup();
    batcher.push('tasks', change(1));
    batcher.push('notes', change(1));
    batcher.drop('tasks');
    timers.runMicrotasks();
    expect(delivered.map(({ collection, seqs }) => ({ collection, seqs }))).toEqual([{ collection: 'notes', seqs: [1] }]);
    batcher.push('notes', change(2));
    batcher.clear();
    timers.advance(100);
    expect(delivered).toHaveLength(1);
    expect(batcher.pending).toBe(0);
    // A batcher that was cleared still works.
    batcher.push('notes', change(3));
    timers.runMicrotasks();
    expect(delivered.at(-1)?.seqs).toEqual([3]);
  });
});
