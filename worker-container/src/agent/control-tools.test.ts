import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileTools } from '../workspace/file-tools';
import { runToolByName, type BuilderTool } from '../workspace/tool';
import { PlanGate, presentPlanTool } from './control-tools';
import { RecordingRunSink } from './run-sink';

let workspaceDir: string;
beforeEach(async () => {
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'hangar-plan-gate-'));
  await writeFile(path.join(workspaceDir, 'App.tsx'), 'export const App = 1;\n');
});
afterEach(async () => {
  await rm(workspaceDir, { recursive: true, force: true });
});

const doneBuilding: BuilderTool<unknown> = {
  name: 'done_building',
  description: 'test double of the gate',
  input: fileTools[0].input,
  execute: () => Promise.resolve({ ok: true, output: 'built', summary: 'built' }),
};

describe('PlanGate', () => {
  it("refuses writes and builds in a new app's run until the plan is decided, then lets them through", async () => {
    const gate = new PlanGate(true);
    const sink = new RecordingRunSink(() => ({ decision: 'amended', note: 'add a due date' }));
    const tools = [...[...fileTools, doneBuilding].map(gate.guard), presentPlanTool(sink, new AbortController().signal, gate)];
    const run = (name: string, input: unknown) => runToolByName(tools, name, input, { workspaceDir });

    const write = await run('write_file', { path: 'App.tsx', content: 'export const App = 2;\n' });
    expect(write).toMatchObject({ ok: false });
    expect(write.output).toMatch(/The plan comes first/);
    expect((await run('edit_file', { path: 'App.tsx', oldString: '1', newString: '2' })).ok).toBe(false);
    expect((await run('done_building', {})).output).toMatch(/present_plan/);
    expect(await readFile(path.join(workspaceDir, 'App.tsx'), 'utf8')).toBe('export const App = 1;\n');
    // Reading is fine before the plan.
    expect((await run('read_file', { path: 'App.tsx' })).ok).toBe(true);

    expect((await run('present_plan', { title: 'T', summary: 'S', steps: ['one'] })).ok).toBe(true);
    expect(gate.isOpen).toBe(true);
    expect((await run('write_file', { path: 'App.tsx', content: 'export const App = 2;\n' })).ok).toBe(true);
    expect((await run('done_building', {})).ok).toBe(true);
  });

  it('is open from the start for a follow-up run', async () => {
    const gate = new PlanGate(false);
    const tools = (fileTools as readonly BuilderTool<unknown>[]).map(gate.guard);
    expect((await runToolByName(tools, 'write_file', { path: 'App.tsx', content: 'x\n' }, { workspaceDir })).ok).toBe(true);
  });
});
