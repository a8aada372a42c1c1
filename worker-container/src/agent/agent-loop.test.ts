import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedProvider, textTurn, toolCallTurn } from '../model/scripted-provider';
import { fileTools } from '../workspace/file-tools';
import type { BuilderTool } from '../workspace/tool';
import { runAgentLoop } from './agent-loop';
import { presentPlanTool, renameAppTool } from './control-tools';
import { RecordingRunSink } from './run-sink';

/** A build gate double: answers the scripted outcomes in order. */
function scriptedBuild(outcomes: boolean[]): BuilderTool<Record<string, never>> & { calls: number } {
  const tool = {
    calls: 0,
    name: 'done_building',
    description: 'typecheck and build',
    input: z.strictObject({}),
    execute() {
      const ok = outcomes[tool.calls++] ?? false;
      return Promise.resolve(
        ok
          ? { ok, output: 'Build succeeded.', summary: 'Build succeeded' }
          : { ok, output: "src/App.tsx(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", summary: 'Build failed' },
      );
    },
  };
  return tool;
}

describe('agent loop (scripted provider)', () => {
  let workspaceDir: string;
  beforeEach(() => {
    workspaceDir = mkdtempSync(join(tmpdir(), 'hangar-agent-'));
  });
  afterEach(() => rmSync(workspaceDir, { recursive: true, force: true }));

  const base = (
    provider: ScriptedProvider,
    tools: BuilderTool<unknown>[],
    sink = new RecordingRunSink(),
    signal = new AbortController().signal,
  ) => ({
    provider,
    model: 'claude-haiku-4-5',
    system: 'You build apps.',
    prompt: 'A tracker for leads',
    tools,
    workspaceDir,
    sink,
    signal,
  });

  it('plans, writes, fails a build, fixes it, builds, and ends with a summary', async () => {
    const sink = new RecordingRunSink();
    const build = scriptedBuild([false, true]);
    const signal = new AbortController().signal;
    const provider = new ScriptedProvider([
      toolCallTurn([{ id: 't1', name: 'present_plan', input: { title: 'Leads', summary: 'A lead tracker.', steps: ['List', 'Form'] } }], {
        text: 'Plan first.',
      }),
      toolCallTurn([
        { id: 't2', name: 'write_file', input: { path: 'src/App.tsx', content: 'export const count: number = "1";\n' } },
        { id: 't3', name: 'done_building', input: {} },
      ]),
      toolCallTurn([
        { id: 't4', name: 'edit_file', input: { path: 'src/App.tsx', oldString: '"1"', newString: '1' } },
        { id: 't5', name: 'done_building', input: {} },
      ]),
      toolCallTurn([{ id: 't6', name: 'rename_app', input: { name: 'Lead Desk' } }]),
      textTurn('Your lead tracker is ready.'),
    ]);
    const tools = [...fileTools, build, presentPlanTool(sink, signal), renameAppTool(sink)] as BuilderTool<unknown>[];
    const outcome = await runAgentLoop({ ...base(provider, tools, sink, signal) });

    expect(outcome).toMatchObject({ status: 'succeeded', summary: 'Your lead tracker is ready.' });
    expect(outcome.usage.inputTokens).toBe(50);
    expect(readFileSync(join(workspaceDir, 'src/App.tsx'), 'utf8')).toBe('export const count: number = 1;\n');
    expect(sink.plans).toHaveLength(1);
    expect(sink.names).toEqual(['Lead Desk']);
    const finished = sink.events.filter((event) => event.type === 'tool.finished');
    expect(finished.map((event) => [event.name, event.ok])).toEqual([
      ['present_plan', true],
      ['write_file', true],
      ['done_building', false],
      ['edit_file', true],
      ['done_building', true],
      ['rename_app', true],
    ]);
    expect(finished.find((event) => event.name === 'edit_file')?.diff).toContain('+export const count: number = 1;');
    // The model saw the build errors as an error tool result, and the plan decision.
    const third = provider.requests[2]?.messages.at(-1);
    expect(JSON.stringify(third)).toContain('TS2322');
    expect(JSON.stringify(provider.requests[1]?.messages.at(-1))).toContain('accepted');
  });

  it('stops after the cap of consecutive failed builds with an explanation', async () => {
    const build = scriptedBuild([false, false, false, false]);
    const turns = Array.from({ length: 5 }, (_, i) => toolCallTurn([{ id: `b${i}`, name: 'done_building', input: {} }]));
    const outcome = await runAgentLoop({ ...base(new ScriptedProvider(turns), [build] as BuilderTool<unknown>[]), maxFailedBuilds: 3 });
    expect(outcome.status).toBe('failed');
    expect(build.calls).toBe(3);
    if (outcome.status === 'failed') expect(outcome.reason).toMatch(/failed 3 times in a row[\s\S]*TS2322/);
  });

  it('fails when the model stops with unbuilt changes', async () => {
    const provider = new ScriptedProvider([
      toolCallTurn([{ id: 'w', name: 'write_file', input: { path: 'src/a.ts', content: 'x' } }]),
      textTurn('Done!'),
    ]);
    const outcome = await runAgentLoop(base(provider, [...fileTools] as BuilderTool<unknown>[]));
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/never called done_building/) as unknown });
  });

  it('fails with the build errors when the model gives up after a failed build', async () => {
    const provider = new ScriptedProvider([toolCallTurn([{ id: 'b', name: 'done_building', input: {} }]), textTurn('I could not fix it.')]);
    const outcome = await runAgentLoop(base(provider, [scriptedBuild([false])] as BuilderTool<unknown>[]));
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.reason).toMatch(/after a failed build[\s\S]*I could not fix it[\s\S]*TS2322/);
  });

  it('turns unknown tools and invalid input into error results the model can read', async () => {
    const provider = new ScriptedProvider([
      toolCallTurn([
        { id: 'u', name: 'rm_rf', input: {} },
        { id: 'v', name: 'read_file', input: { path: 42 } },
      ]),
      textTurn('Sorry.'),
    ]);
    const sink = new RecordingRunSink();
    const outcome = await runAgentLoop(base(provider, [...fileTools] as BuilderTool<unknown>[], sink));
    expect(outcome.status).toBe('succeeded');
    const results = JSON.stringify(provider.requests[1]?.messages.at(-1));
    expect(results).toContain('no tool named');
    expect(results).toContain('Invalid input for read_file');
  });

  it('stops promptly when aborted, and reports stopped', async () => {
    const controller = new AbortController();
    const provider = new ScriptedProvider([
      () => {
        controller.abort();
        return toolCallTurn([{ id: 'l', name: 'list_files', input: {} }]);
      },
    ]);
    const outcome = await runAgentLoop(base(provider, [...fileTools] as BuilderTool<unknown>[], new RecordingRunSink(), controller.signal));
    expect(outcome.status).toBe('stopped');
  });

  it('fails after the maximum number of turns', async () => {
    const turns = Array.from({ length: 3 }, (_, i) => toolCallTurn([{ id: `l${i}`, name: 'list_files', input: {} }]));
    const outcome = await runAgentLoop({ ...base(new ScriptedProvider(turns), [...fileTools] as BuilderTool<unknown>[]), maxTurns: 3 });
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/all 3 turns/) as unknown });
  });

  it('does not run a tool call with an oversized input, and keeps only a placeholder of it in the conversation', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const provider = new ScriptedProvider([
      toolCallTurn([{ id: 'big', name: 'write_file', input: { path: 'src/big.ts', content: huge } }]),
      textTurn('I will write it in parts.'),
    ]);
    const sink = new RecordingRunSink();
    const outcome = await runAgentLoop(base(provider, [...fileTools] as BuilderTool<unknown>[], sink));
    expect(outcome.status).toBe('succeeded');
    expect(() => readFileSync(join(workspaceDir, 'src/big.ts'))).toThrow();
    expect(sink.events.find((event) => event.type === 'tool.finished')).toMatchObject({ ok: false, summary: 'Input too large (2.0 MB)' });
    const resent = JSON.stringify(provider.requests[1]?.messages);
    expect(resent.length).toBeLessThan(10_000);
    expect(resent).toContain('over the 1.0 MB limit for one tool call, so it was not run');
  });
});
