import { collectResponse } from '../../model/collect-response';
import type { Message, ModelProvider, ToolResultBlock } from '../../model/model-provider';

/** What the fake tools answer for the two tools whose results the person or the build decide. */
export interface FakeToolOptions {
  /** `accepted`, or a note the plan is amended with; a list answers successive plans in turn (then accepts). */
  plan?: PlanDecision | PlanDecision[];
  /** Errors text makes done_building fail with it. */
  buildErrors?: string;
}

export type PlanDecision = 'accepted' | { amended: string };

export interface ConversationRecord {
  /** Every tool call in order, by name. */
  calls: { name: string; input: Record<string, unknown> }[];
  /** The text of the final (tool-free) turn. */
  finalText: string;
  messages: Message[];
  appName: string | undefined;
}

/**
 * Drives a provider like the agent loop does, with in-memory stand-ins for the builder tools
 * (same result formats as the real ones), until the provider ends its turn.
 */
export async function runConversation(
  provider: ModelProvider,
  firstUserText: string,
  files: Map<string, string>,
  options: FakeToolOptions = {},
): Promise<ConversationRecord> {
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: firstUserText }] }];
  const calls: ConversationRecord['calls'] = [];
  let appName: string | undefined;
  const decisions = Array.isArray(options.plan) ? [...options.plan] : options.plan ? [options.plan] : [];
  const nextDecision = (): PlanDecision => (Array.isArray(options.plan) ? (decisions.shift() ?? 'accepted') : (decisions[0] ?? 'accepted'));
  for (let turn = 0; turn < 20; turn++) {
    const { message, stopReason } = await collectResponse(
      provider.stream({ model: 'offline-generator-1', system: 'You build apps.', messages, tools: [], maxTokens: 8192 }),
    );
    messages.push(message);
    const uses = message.content.filter((block) => block.type === 'tool_use');
    if (uses.length === 0) {
      if (stopReason !== 'end_turn') throw new Error(`A turn without tool calls stopped with ${stopReason}.`);
      const finalText = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return { calls, finalText, messages, appName };
    }
    if (stopReason !== 'tool_use') throw new Error(`A turn with tool calls stopped with ${stopReason}.`);
    const results: ToolResultBlock[] = [];
    for (const use of uses) {
      const input = use.input as Record<string, unknown>;
      calls.push({ name: use.name, input });
      const { output, ok } = runFakeTool(use.name, input, files, {
        ...options,
        plan: use.name === 'present_plan' ? nextDecision() : 'accepted',
      });
      if (use.name === 'rename_app' && ok) appName = String(input.name);
      results.push({ type: 'tool_result', toolUseId: use.id, content: output, isError: !ok });
    }
    messages.push({ role: 'user', content: results });
  }
  throw new Error('The conversation did not end within 20 turns.');
}

function runFakeTool(
  name: string,
  input: Record<string, unknown>,
  files: Map<string, string>,
  options: FakeToolOptions,
): { output: string; ok: boolean } {
  const path = typeof input.path === 'string' ? input.path : '';
  switch (name) {
    case 'present_plan': {
      const plan = options.plan as PlanDecision;
      return plan === 'accepted'
        ? { ok: true, output: 'The plan was accepted. Build it now.' }
        : { ok: true, output: `The plan was amended: ${plan.amended}. Adjust the plan accordingly, then build it.` };
    }
    case 'write_file':
      files.set(path, String(input.content));
      return { ok: true, output: `Created ${path}.` };
    case 'read_file': {
      const text = files.get(path);
      if (text === undefined) return { ok: false, output: `"${path}" does not exist.` };
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const width = String(lines.length).length;
      return { ok: true, output: lines.map((line, index) => `${String(index + 1).padStart(width)}\t${line}`).join('\n') };
    }
    case 'edit_file': {
      const text = files.get(path);
      const oldString = String(input.oldString);
      if (text === undefined) return { ok: false, output: `"${path}" does not exist.` };
      const count = text.split(oldString).length - 1;
      if (count !== 1) return { ok: false, output: `oldString was found ${count} times in "${path}".` };
      files.set(
        path,
        text.replace(oldString, () => String(input.newString)),
      );
      return { ok: true, output: `Edited ${path}.` };
    }
    case 'search_files': {
      const query = String(input.query);
      const suffix = typeof input.glob === 'string' ? input.glob.replace(/^\*/, '') : '';
      const hits: string[] = [];
      for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        if (!file.endsWith(suffix)) continue;
        text.split('\n').forEach((line, index) => {
          if (line.includes(query)) hits.push(`${file}:${index + 1}: ${line.trim()}`);
        });
      }
      return { ok: true, output: hits.length ? hits.join('\n') : `No matches for "${query}".` };
    }
    case 'rename_app':
      return { ok: true, output: `The app is now called "${String(input.name)}".` };
    case 'done_building':
      return options.buildErrors
        ? {
            ok: false,
            output: `The build gate failed. Fix these errors, then call done_building again.\n\nTypecheck errors (tsc --noEmit):\n${options.buildErrors}`,
          }
        : { ok: true, output: 'Typecheck and build passed in 1.2 s.' };
    default:
      return { ok: false, output: `Unknown tool ${name}.` };
  }
}
