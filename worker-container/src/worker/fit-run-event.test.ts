import { describe, expect, it } from 'vitest';
import { internalLimits, RunEventBody } from '@hangar/protocol';
import { fitRunEvent, jsonBytes, textPieceChars } from './fit-run-event';

describe('fitRunEvent', () => {
  it('passes small events through untouched', () => {
    const event: RunEventBody = { type: 'tool.started', callId: 'c', name: 'list_files', input: { path: '.' } };
    expect(fitRunEvent(event)).toEqual([event]);
  });

  it('splits a long text delta into pieces without losing a character', () => {
    const text = 'abcdefghij'.repeat(10_000);
    const pieces = fitRunEvent({ type: 'text.delta', text });
    expect(pieces.length).toBe(Math.ceil(text.length / textPieceChars));
    expect(pieces.map((piece) => (piece.type === 'text.delta' ? piece.text : '')).join('')).toBe(text);
  });

  it('shortens long outputs and diffs to the byte cap and the schema caps, with a marker', () => {
    const [fitted] = fitRunEvent({
      type: 'tool.finished',
      callId: 'c',
      name: 'write_file',
      ok: true,
      summary: 's'.repeat(5000),
      diff: 'd'.repeat(3_000_000),
      output: 'o'.repeat(300_000),
    });
    expect(RunEventBody.safeParse(fitted).success).toBe(true);
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(internalLimits.maxEventBytes);
    expect(fitted?.type === 'tool.finished' && fitted.diff).toMatch(/truncated by the worker: 3000000 characters in all\]$/);
    expect(fitted?.type === 'tool.finished' && fitted.summary.length).toBeLessThanOrEqual(2000);
  });
});
