import { describe, expect, it } from 'vitest';
import { collectResponse } from '../model/collect-response';
import { ModelError } from '../model/model-error';
import type { ModelEvent } from '../model/model-provider';
import { OfflineProvider } from './offline-provider';
import { runConversation } from './testing/conversation-driver';

const leadsPrompt = 'a tracker for customer leads with name, email, company, status and next call date';
const provider = new OfflineProvider();

async function buildLeads(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await runConversation(provider, leadsPrompt, files);
  return files;
}

describe('OfflineProvider: a new app', () => {
  it('plans, writes the files, names the app, builds, then summarises', async () => {
    const files = new Map<string, string>();
    const run = await runConversation(provider, leadsPrompt, files);
    expect(run.calls.map((call) => call.name)).toEqual([
      'present_plan',
      ...Array<string>(8).fill('write_file'),
      'rename_app',
      'done_building',
    ]);
    expect(run.calls[0]?.input).toMatchObject({
      title: 'Lead Tracker',
      steps: expect.arrayContaining([expect.stringContaining('Next call date (date)')]) as unknown,
    });
    expect([...files.keys()]).toEqual([
      'src/lead-fields.ts',
      'src/lib/record-fields.ts',
      'src/components/record-form-dialog.tsx',
      'src/components/record-table.tsx',
      'src/components/delete-record-dialog.tsx',
      'src/components/agent-panel.tsx',
      'src/App.tsx',
      'hangar.access.json',
    ]);
    expect(JSON.parse(files.get('hangar.access.json') ?? '{}')).toEqual({
      version: 1,
      collections: { leads: { read: 'viewers', write: 'members' } },
    });
    expect(files.get('src/App.tsx')).toContain("import { appName, entity, fields, type Lead } from './lead-fields';");
    expect(files.get('src/lead-fields.ts')).toContain(
      "  { key: 'status', label: 'Status', kind: 'status', required: true, options: ['New', 'Contacted', 'Qualified', 'Won', 'Lost'] },",
    );
    expect(run.appName).toBe('Lead Tracker');
    expect(run.finalText).toMatch(/\*\*Lead Tracker\*\* is ready/);
    expect(run.finalText).toContain('src/lead-fields.ts');
  });

  it('applies an understood plan amendment before writing', async () => {
    const files = new Map<string, string>();
    const run = await runConversation(provider, leadsPrompt, files, { plan: { amended: 'add a field priority' } });
    expect(run.calls.map((call) => call.name)).toContain('done_building');
    expect(files.get('src/lead-fields.ts')).toContain(
      "{ key: 'priority', label: 'Priority', kind: 'status', required: true, options: ['Low', 'Medium', 'High'] }",
    );
    expect(
      run.messages.some((message) => message.role === 'assistant' && JSON.stringify(message).includes('Noted: adding a “Priority” field')),
    ).toBe(true);
  });

  it('renames from a plan amendment', async () => {
    const renamed = await runConversation(provider, leadsPrompt, new Map(), { plan: { amended: 'call it Lead Desk' } });
    expect(renamed.appName).toBe('Lead Desk');
  });

  it('never ignores a note it cannot apply: the plan comes back naming the note, and nothing is written until it is accepted', async () => {
    const files = new Map<string, string>();
    const note = 'make it pink and add charts everywhere please';
    const run = await runConversation(provider, leadsPrompt, files, {
      plan: [{ amended: note }, { amended: 'add a field priority' }, 'accepted'],
    });
    const names = run.calls.map((call) => call.name);
    expect(names.slice(0, 3)).toEqual(['present_plan', 'present_plan', 'write_file']);
    const second = run.calls[1]?.input as { summary: string };
    expect(second.summary).toContain(`I couldn't apply your note (“${note}”)`);
    expect(second.summary).toMatch(/add a field priority/);
    expect(files.get('src/lead-fields.ts')).toContain("key: 'priority'");
    expect(run.appName).toBe('Lead Tracker');
  });

  it('speaks plainly on the plan card: no SDK names or template jargon', async () => {
    const run = await runConversation(provider, leadsPrompt, new Map());
    const card = JSON.stringify(run.calls[0]?.input);
    expect(card).not.toMatch(/useCollection|UI kit|template/i);
  });

  it('explains a failing build and stops instead of looping', async () => {
    const run = await runConversation(provider, leadsPrompt, new Map(), {
      buildErrors: "src/App.tsx(1,1): error TS2304: Cannot find name 'x'.",
    });
    expect(run.calls.filter((call) => call.name === 'done_building')).toHaveLength(1);
    expect(run.finalText).toMatch(/stopped instead of guessing/);
    expect(run.finalText).toContain('TS2304');
  });

  it('builds a general items tracker for a vague prompt and says so', async () => {
    const files = new Map<string, string>();
    const run = await runConversation(provider, 'make me something cool', files);
    expect(files.has('src/item-fields.ts')).toBe(true);
    expect(run.finalText).toMatch(/general "items" tracker/);
  });

  it('is deterministic: the same prompt gives identical files and events', async () => {
    const [first, second] = await Promise.all([buildLeads(), buildLeads()]);
    expect([...first]).toEqual([...second]);
    const request = {
      model: 'offline-generator-1',
      system: '',
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: leadsPrompt }] }],
      tools: [],
      maxTokens: 1000,
    };
    expect(await drain(provider.stream(request))).toEqual(await drain(provider.stream(request)));
  });
});

describe('OfflineProvider: requests it cannot build', () => {
  for (const [prompt, what] of [
    ['a chess board', 'a chess game'],
    ['Build me a snake game with a high score table', 'a game'],
    ['a drawing app for sketches', 'a drawing tool'],
    ['a pomodoro timer', 'a calculator or timer'],
  ] as const) {
    it(`"${prompt}": a polite plan card saying so, before anything is built; accepting ends the run`, async () => {
      const files = new Map<string, string>();
      const run = await runConversation(provider, prompt, files);
      expect(run.calls.map((call) => call.name)).toEqual(['present_plan']);
      const card = run.calls[0]?.input as { title: string; summary: string; steps: string[] };
      expect(card.title).toBe(`The offline generator cannot build ${what}`);
      expect(card.summary).toMatch(/Nothing has been built/);
      expect(card.summary).toMatch(/ANTHROPIC_API_KEY/);
      expect(card.steps.join(' ')).toMatch(/tracker for customer leads/);
      expect(files.size).toBe(0);
      expect(run.finalText).toMatch(/^Nothing was built/);
    });
  }

  it('builds a data app given in the note instead, after planning it', async () => {
    const files = new Map<string, string>();
    const run = await runConversation(provider, 'a chess board', files, {
      plan: [{ amended: 'a tracker for chess games with opponent, result and date' }, 'accepted'],
    });
    expect(run.calls.slice(0, 3).map((call) => call.name)).toEqual(['present_plan', 'present_plan', 'write_file']);
    expect((run.calls[1]?.input as { title: string }).title).toBe('Chess Game Tracker');
    expect(files.get('src/chess-game-fields.ts')).toContain("key: 'opponent'");
  });

  it('keeps building data apps about games, boards and timers', async () => {
    for (const prompt of ['a tracker for board games I own with title, players and rating', 'a kanban board of tasks']) {
      const run = await runConversation(provider, prompt, new Map());
      expect(run.calls.map((call) => call.name)).toContain('done_building');
    }
  });
});

describe('OfflineProvider: follow-ups', () => {
  it('adds a field with one edit to the fields file', async () => {
    const files = await buildLeads();
    const appBefore = files.get('src/App.tsx');
    const run = await runConversation(provider, 'Follow-up: add a field priority', files);
    expect(run.calls.map((call) => call.name)).toEqual(['search_files', 'read_file', 'edit_file', 'done_building']);
    expect(files.get('src/lead-fields.ts')).toMatch(
      /nextCallDate.*\n {2}\{ key: 'priority', label: 'Priority', kind: 'status'.*\n\] as const/,
    );
    expect(files.get('src/App.tsx')).toBe(appBefore);
    expect(run.finalText).toMatch(/Priority \(choice: Low, Medium, High; required\)/);
  });

  it('removes a field', async () => {
    const files = await buildLeads();
    const run = await runConversation(provider, 'Follow-up: remove the company field', files);
    expect(run.calls.map((call) => call.name)).toEqual(['search_files', 'read_file', 'edit_file', 'done_building']);
    expect(files.get('src/lead-fields.ts')).not.toContain("key: 'company'");
    expect(run.finalText).toMatch(/\*\*Company\*\* field is gone/);
  });

  it('renames the app in the fields file and in Hangar', async () => {
    const files = await buildLeads();
    const run = await runConversation(provider, 'Follow-up: rename the app to Lead Desk', files);
    expect(run.calls.map((call) => call.name)).toEqual(['search_files', 'read_file', 'edit_file', 'rename_app', 'done_building']);
    expect(files.get('src/lead-fields.ts')).toContain("export const appName = 'Lead Desk';");
    expect(run.appName).toBe('Lead Desk');
  });

  it('answers politely, without tools, what it does not understand', async () => {
    const files = await buildLeads();
    const run = await runConversation(provider, 'Follow-up: add a dark mode and a chart of deals per month', files);
    expect(run.calls).toEqual([]);
    expect(run.finalText).toMatch(/not sure how to do/);
    expect(run.finalText).toContain('rename the app to Lead Desk');
  });

  it('does not change anything for a field that exists or does not exist', async () => {
    const files = await buildLeads();
    const before = new Map(files);
    const duplicate = await runConversation(provider, 'Follow-up: add an email field', files);
    expect(duplicate.finalText).toMatch(/already has a “Email” field/);
    const missing = await runConversation(provider, 'Follow-up: remove the budget field', files);
    expect(missing.finalText).toMatch(/could not find a “budget” field/);
    expect(files).toEqual(before);
  });

  it('explains that it can only change fields of apps it generated', async () => {
    const run = await runConversation(
      provider,
      'Follow-up: add a field priority',
      new Map([['src/App.tsx', 'export function App() {}\n']]),
    );
    expect(run.calls.map((call) => call.name)).toEqual(['search_files']);
    expect(run.finalText).toMatch(/could not find a fields file/);
  });
});

describe('OfflineProvider: streaming', () => {
  const request = {
    model: 'offline-generator-1',
    system: 'x',
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: leadsPrompt }] }],
    tools: [],
    maxTokens: 1000,
  };

  it('streams text in chunks and tool input as partial JSON, then usage and one stop', async () => {
    const events = await drain(provider.stream(request));
    expect(events.filter((event) => event.type === 'text.delta').length).toBeGreaterThan(1);
    const deltas = events.filter((event) => event.type === 'tool_call.input_delta');
    expect(deltas.length).toBeGreaterThan(1);
    const complete = events.find((event) => event.type === 'tool_call.complete');
    expect(JSON.parse(deltas.map((event) => event.partialJson).join(''))).toEqual(
      complete?.type === 'tool_call.complete' ? complete.input : null,
    );
    expect(events.at(-2)).toMatchObject({ type: 'usage', inputTokens: expect.any(Number) as unknown });
    expect(events.at(-1)).toEqual({ type: 'message.stop', stopReason: 'tool_use' });
    const { message } = await collectResponse(provider.stream(request));
    expect(message.content.map((block) => block.type)).toEqual(['text', 'tool_use']);
  });

  it('fails with an aborted ModelError when aborted before or during the stream', async () => {
    await expect(drain(provider.stream({ ...request, signal: AbortSignal.abort() }))).rejects.toMatchObject({ kind: 'aborted' });
    const controller = new AbortController();
    const slow = new OfflineProvider({ eventDelayMs: 5 });
    const error: unknown = await (async () => {
      for await (const _event of slow.stream({ ...request, signal: controller.signal })) controller.abort();
    })().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'aborted', retryable: false });
  });
});

async function drain(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
