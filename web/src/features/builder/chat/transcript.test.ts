import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '@hangar/protocol';
import { buildTranscript } from './transcript';

const events = (bodies: RunEventBody[]): RunEvent[] =>
  bodies.map((event, index) => ({ id: String(index + 1).padStart(12, '0'), runId: 'run_1', time: '2026-11-24T12:00:00.000Z', event }));

describe('chat transcript', () => {
  it('merges deltas, pairs tool start and finish, and keeps finished plan and build tools out of the way', () => {
    const plan = { title: 'Leads', summary: 'A tracker', steps: ['List'] };
    const items = buildTranscript(
      events([
        { type: 'message.user', text: 'A tracker for leads' },
        { type: 'text.delta', text: 'Here is ' },
        { type: 'text.delta', text: 'my plan.' },
        { type: 'tool.started', callId: 'c1', name: 'present_plan', input: plan },
        { type: 'plan.proposed', plan },
        { type: 'plan.decided', decision: 'accepted' },
        { type: 'tool.finished', callId: 'c1', name: 'present_plan', ok: true, summary: 'Plan accepted' },
        { type: 'tool.started', callId: 'c2', name: 'write_file', input: { path: 'src/App.tsx' } },
        { type: 'tool.finished', callId: 'c2', name: 'write_file', ok: true, summary: 'Created src/App.tsx', diff: '+x' },
        { type: 'tool.started', callId: 'c3', name: 'done_building', input: {} },
        { type: 'build.finished', ok: true, typecheckErrors: '', buildErrors: '', durationMs: 2400 },
        { type: 'tool.finished', callId: 'c3', name: 'done_building', ok: true, summary: 'Saved as version 1' },
      ]),
    );
    expect(items.map((item) => (item.kind === 'tool' ? `tool:${item.name}` : item.kind))).toEqual([
      'user',
      'text',
      'plan',
      'plan-decision',
      'tool:write_file',
      'build',
    ]);
    expect(items[1]).toMatchObject({ kind: 'text', text: 'Here is my plan.' });
  });

  it('shows a running build as a tool card until it finishes', () => {
    const items = buildTranscript(events([{ type: 'tool.started', callId: 'c3', name: 'done_building', input: {} }]));
    expect(items).toEqual([expect.objectContaining({ kind: 'tool', name: 'done_building', result: null })]);
  });

  it('shows a model retry and drops the partial answer that the retry streams again', () => {
    const items = buildTranscript(
      events([
        { type: 'message.user', text: 'A tracker' },
        { type: 'text.delta', text: 'Here is my pl' },
        { type: 'model.retrying', attempt: 1, maxAttempts: 6, delayMs: 2000, reason: 'The model service is overloaded.' },
        { type: 'text.delta', text: 'Here is my plan.' },
      ]),
    );
    expect(items.map((item) => item.kind)).toEqual(['user', 'model-retry', 'text']);
    expect(items[2]).toMatchObject({ kind: 'text', text: 'Here is my plan.' });
  });
});
