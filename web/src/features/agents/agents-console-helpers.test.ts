import { validateAgentsDocument, type RunEvent } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { appUsage } from './agent-settings-card';
import { buildAgentTranscript } from './agent-transcript';
import { exampleAgentsDocument } from './agents-example.test-support';
import { capabilityClasses, ruleOfTwoSummary } from './capability-words';
import { parseRunInput } from './run-agent-form';
import { declaredSchedules, publishedScheduleOf } from './schedule-triggers';

describe('capability words', () => {
  it('says all three rule-of-two classes of the example in plain words, and that its writes wait for a person', () => {
    const capabilities = validateAgentsDocument(exampleAgentsDocument()).capabilities.enricher!;
    const classes = capabilityClasses(capabilities);
    expect(classes.map((item) => [item.id, item.held])).toEqual([
      ['untrusted', true],
      ['private', true],
      ['outside', true],
    ]);
    expect(classes[0]?.detail).toBe('lookup_company returns what api.example-crm.com sends');
    expect(classes[1]?.detail).toBe('app collections leads; lookup_company carries secrets CRM_TOKEN');
    expect(classes[2]?.detail).toBe('writes leads');
    expect(ruleOfTwoSummary(capabilities)).toBe(
      'Holds all three, so a person approves each of these calls before it runs: update_app_data.',
    );
  });

  it('explains a class an agent does not hold', () => {
    const document = exampleAgentsDocument();
    document.agents[0]!.dataCollections = { read: [], write: [] };
    document.tools[0]!.headers = {};
    const capabilities = validateAgentsDocument(document).capabilities.enricher!;
    const classes = capabilityClasses(capabilities);
    expect(classes.map((item) => item.held)).toEqual([true, false, false]);
    expect(classes[1]?.detail).toBe('Reads no app data and uses no secrets.');
    expect(ruleOfTwoSummary(capabilities)).toBe('Holds 1 of the three, so its calls run without asking.');
  });
});

describe('schedules', () => {
  it('lists the schedule triggers with their index, and matches the published entry by agent and index', () => {
    const declared = declaredSchedules(exampleAgentsDocument());
    expect(declared).toEqual([
      { agentId: 'enricher', agentName: 'Lead enricher', triggerIndex: 1, expression: '0 9 * * 1-5 (Europe/London)' },
    ]);
    const entry = {
      id: 'sch_1',
      agentId: 'enricher',
      triggerIndex: 1,
      expression: { cron: '0 9 * * 1-5', timezone: 'Europe/London' },
      nextFireAt: '2026-12-02T09:00:00.000Z',
      lastFiredAt: null,
      lastRunId: null,
    };
    expect(publishedScheduleOf([{ ...entry, triggerIndex: 0 }, entry], declared[0]!)).toBe(entry);
    expect(publishedScheduleOf([], declared[0]!)).toBeNull();
    expect(declaredSchedules({ agents: [{ id: 'r', triggers: [{ type: 'schedule', rate: 'rate(1 hour)' }] }] })[0]?.expression).toBe(
      'rate(1 hour)',
    );
  });
});

describe('agent transcript', () => {
  it('keeps the call approval and its decision in the order they happened, between the tool cards', () => {
    const event = (id: string, body: RunEvent['event']): RunEvent => ({
      id,
      runId: 'run_1',
      time: '2026-12-01T00:00:00.000Z',
      event: body,
    });
    const items = buildAgentTranscript([
      event('1', { type: 'tool.started', callId: 'c1', name: 'lookup_company', input: { company: 'Acme' } }),
      event('2', { type: 'tool.finished', callId: 'c1', name: 'lookup_company', ok: true, summary: 'lookup_company: 200' }),
      event('3', {
        type: 'agent.call_approval_requested',
        approvalId: 'cap_1',
        tool: 'update_app_data',
        preview: { write: {} },
        host: null,
      }),
      event('4', { type: 'agent.call_decided', approvalId: 'cap_1', decision: 'approved', by: 'usr_1' }),
      event('5', { type: 'text.delta', text: 'Done.' }),
    ]);
    expect(items.map((item) => item.kind)).toEqual(['tool', 'call-approval', 'call-decision', 'text']);
  });
});

describe('run input', () => {
  it('accepts an object or nothing, and says why anything else is refused', () => {
    expect(parseRunInput(' ')).toEqual({ ok: true, input: {} });
    expect(parseRunInput('{"company":"Acme"}')).toEqual({ ok: true, input: { company: 'Acme' } });
    const refusal = (text: string) => {
      const parsed = parseRunInput(text);
      return parsed.ok ? null : parsed.message;
    };
    expect(refusal('[1]')).toBe('The input must be a JSON object, like {"company": "Acme"}.');
    expect(refusal('{company}')).toMatch(/^The input is not valid JSON: /);
  });
});

describe('appUsage', () => {
  it("counts this app's active runs and this month's spend", () => {
    const run = (status: string, createdAt: string, costUsd: number) =>
      ({ status, createdAt, usage: { inputTokens: 0, outputTokens: 0, costUsd } }) as Parameters<typeof appUsage>[0][number];
    const runs = [
      run('running', '2026-12-01T10:00:00Z', 0.5),
      run('succeeded', '2026-12-01T09:00:00Z', 1.25),
      run('failed', '2026-11-30T23:00:00Z', 9),
    ];
    expect(appUsage(runs, new Date('2026-12-15T00:00:00Z'))).toEqual({ active: 1, spentUsd: 1.75 });
  });
});
