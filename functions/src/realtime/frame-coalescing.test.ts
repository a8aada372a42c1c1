import { describe, expect, it } from 'vitest';
import { coalesceFrames } from './frame-coalescing';

const changed = (seq: number, collection = 'tasks', padding = '') => ({
  type: 'data.changed',
  appId: 'app_1',
  scope: 'draft',
  collection,
  change: { operation: 'insert', documentId: `d${seq}`, document: { _id: `d${seq}`, padding }, epoch: 'e1', seq },
});
const entries = (messages: unknown[]) => messages.map((data, index) => ({ data, source: index }));
const seqs = (text: string) => {
  const frame = JSON.parse(text) as { change?: { seq: number }; changes?: { seq: number }[] };
  return frame.changes ? frame.changes.map((change) => change.seq) : frame.change ? [frame.change.seq] : [];
};

describe('coalesceFrames', () => {
  it('sends a lone change unchanged and merges a run into data.changes that parses back to the same changes', () => {
    expect(coalesceFrames(entries([changed(1)])).map((frame) => JSON.parse(frame.text) as unknown)).toEqual([changed(1)]);
    const [frame, ...rest] = coalesceFrames(entries([changed(1), changed(2), changed(3)]));
    expect(rest).toEqual([]);
    expect(JSON.parse(frame?.text ?? '')).toEqual({
      type: 'data.changes',
      appId: 'app_1',
      scope: 'draft',
      collection: 'tasks',
      changes: [changed(1).change, changed(2).change, changed(3).change],
    });
    expect(frame?.sources).toEqual([0, 1, 2]);
    expect(frame?.data).toEqual(JSON.parse(frame?.text ?? ''));
  });

  it('merges an incoming data.changes message with its neighbours', () => {
    const batch = {
      type: 'data.changes',
      appId: 'app_1',
      scope: 'draft',
      collection: 'tasks',
      changes: [changed(2).change, changed(3).change],
    };
    const frames = coalesceFrames(entries([changed(1), batch, changed(4)]));
    expect(frames.map((frame) => seqs(frame.text))).toEqual([[1, 2, 3, 4]]);
  });

  it('starts a new frame at the change and byte limits', () => {
    const byCount = coalesceFrames(entries(Array.from({ length: 7 }, (_, index) => changed(index + 1))), { maxChanges: 3, maxBytes: 1e9 });
    expect(byCount.map((frame) => seqs(frame.text))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    const padding = 'x'.repeat(1000);
    const byBytes = coalesceFrames(entries([1, 2, 3, 4].map((seq) => changed(seq, 'tasks', padding))), { maxChanges: 500, maxBytes: 2500 });
    expect(byBytes.map((frame) => seqs(frame.text))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('never merges across collections or other messages', () => {
    const notice = { type: 'session.notice', text: 'hi' };
    const frames = coalesceFrames(entries([changed(1), changed(1, 'notes'), notice, changed(2), changed(3)]));
    expect(frames.map((frame) => (JSON.parse(frame.text) as { type: string }).type)).toEqual([
      'data.changed',
      'data.changed',
      'session.notice',
      'data.changes',
    ]);
    expect(frames.map((frame) => frame.sources)).toEqual([[0], [1], [2], [3, 4]]);
  });

  it('replaces a change too large for one frame with a data.reload notice in its place, counting UTF-8 bytes', () => {
    // 1,000 × "€" is 1,000 code units but 3,000 bytes: over a 2,500-byte frame, though its length is not.
    const frames = coalesceFrames(entries([changed(1), changed(2, 'tasks', '€'.repeat(1000)), changed(3)]), {
      maxChanges: 500,
      maxBytes: 2500,
    });
    expect(frames.map((frame) => JSON.parse(frame.text) as unknown)).toEqual([
      changed(1),
      {
        type: 'data.reload',
        appId: 'app_1',
        scope: 'draft',
        collection: 'tasks',
        change: { operation: 'insert', documentId: 'd2', epoch: 'e1', seq: 2 },
      },
      changed(3),
    ]);
    expect(frames.map((frame) => frame.sources)).toEqual([[0], [1], [2]]);
    for (const frame of frames) expect(frame.data).toEqual(JSON.parse(frame.text));
  });

  it('splits one data.changes message over the limit, naming its source once with the frame of its last change', () => {
    const padding = 'x'.repeat(1000);
    const batch = {
      type: 'data.changes',
      appId: 'app_1',
      scope: 'draft',
      collection: 'tasks',
      changes: [1, 2, 3, 4, 5].map((seq) => changed(seq, 'tasks', padding).change),
    };
    const frames = coalesceFrames(entries([batch, changed(6)]), { maxChanges: 500, maxBytes: 2500 });
    expect(frames.map((frame) => seqs(frame.text))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(frames.map((frame) => frame.sources)).toEqual([[], [], [0, 1]]);
    for (const frame of frames) expect(Buffer.byteLength(frame.text)).toBeLessThanOrEqual(2500);
  });
});
