import { describe, expect, it } from 'vitest';
import { SequenceTracker } from './sequence-tracker';

describe('SequenceTracker', () => {
  it('accepts consecutive changes after the subscribed position', () => {
    const tracker = new SequenceTracker();
    tracker.start('k', 'e1', 4);
    expect(tracker.check('k', { epoch: 'e1', seq: 5 })).toBe('in-order');
    expect(tracker.check('k', { epoch: 'e1', seq: 6 })).toBe('in-order');
  });

  it('reports a skipped number, a repeat or a new epoch as a gap, then carries on from there', () => {
    const tracker = new SequenceTracker();
    tracker.start('k', 'e1', 0);
    expect(tracker.check('k', { epoch: 'e1', seq: 2 })).toBe('gap');
    expect(tracker.check('k', { epoch: 'e1', seq: 3 })).toBe('in-order');
    expect(tracker.check('k', { epoch: 'e1', seq: 3 })).toBe('gap');
    expect(tracker.check('k', { epoch: 'e2', seq: 4 })).toBe('gap');
    expect(tracker.check('k', { epoch: 'e2', seq: 5 })).toBe('in-order');
  });

  it('keeps streams apart and starts untracked streams at their first change', () => {
    const tracker = new SequenceTracker();
    tracker.start('a', 'e1', 10);
    expect(tracker.check('b', { epoch: 'e1', seq: 99 })).toBe('in-order');
    expect(tracker.check('a', { epoch: 'e1', seq: 11 })).toBe('in-order');
    tracker.reset('a');
    expect(tracker.has('a')).toBe(false);
    expect(tracker.check('a', { epoch: 'e9', seq: 1 })).toBe('in-order');
  });
});
