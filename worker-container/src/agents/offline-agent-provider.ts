import type { AssistantContentBlock, Message, ModelEvent, ModelProvider, ModelRequest, ToolDefinition } from '../model/model-provider';
import { abortedError } from '../model/model-error';
import { inputOfAgentRunMessage } from './agent-prompt';

/**
 * App agents with no model key: a deterministic provider that calls the agent's HTTP tools in
 * the order they are declared, with the fields of the trigger's input that each tool accepts,
 * then writes what they returned to the first writable collection (updating the document named
 * by the input's `id`, or inserting one), then summarizes. It decides each turn from the
 * conversation alone, so it runs behind the model gateway like any other provider.
 */
export class OfflineAgentProvider implements ModelProvider {
  readonly name = 'offline-agent';

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return this.#play(request);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- a generator of precomputed events
  async *#play(request: ModelRequest): AsyncGenerator<ModelEvent> {
    if (request.signal?.aborted) throw abortedError(request.signal.reason);
    const turn = decideAgentTurn(request.messages, request.tools);
    for (const event of turn) yield event;
  }
}

const dataTools = new Set(['read_app_data', 'update_app_data']);

function toolResults(messages: Message[]): Map<string, { ok: boolean; content: string }> {
  const results = new Map<string, { ok: boolean; content: string }>();
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type === 'tool_use') names.set(block.id, block.name);
      if (block.type === 'tool_result')
        results.set(names.get(block.toolUseId) ?? block.toolUseId, { ok: !block.isError, content: block.content });
    }
  }
  return results;
}

function inputFor(tool: ToolDefinition, input: Record<string, unknown>): Record<string, unknown> {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  const nested = typeof input.document === 'object' && input.document !== null ? (input.document as Record<string, unknown>) : {};
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(properties)) {
    if (name in input) result[name] = input[name];
    else if (name in nested) result[name] = nested[name];
  }
  return result;
}

function writableCollection(tools: ToolDefinition[]): string | null {
  const properties = tools.find((tool) => tool.name === 'update_app_data')?.inputSchema.properties;
  if (typeof properties !== 'object' || properties === null || !('collection' in properties)) return null;
  const collection: unknown = properties.collection;
  if (typeof collection !== 'object' || collection === null || !('enum' in collection) || !Array.isArray(collection.enum)) return null;
  const first: unknown = collection.enum[0];
  return typeof first === 'string' ? first : null;
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** The next turn's events: tool calls, a write, or the closing summary. */
export function decideAgentTurn(messages: Message[], tools: ToolDefinition[]): ModelEvent[] {
  const first = messages[0]?.content.find((block) => block.type === 'text');
  const input = inputOfAgentRunMessage(first?.type === 'text' ? first.text : '');
  const assistantTurns = messages.filter((message) => message.role === 'assistant').length;
  const results = toolResults(messages);
  const httpTools = tools.filter((tool) => !dataTools.has(tool.name));
  const blocks: AssistantContentBlock[] = [];
  const call = (name: string, toolInput: unknown) =>
    blocks.push({ type: 'tool_use', id: `offline_${assistantTurns}_${blocks.length}`, name, input: toolInput });

  if (assistantTurns === 0 && httpTools.length > 0) {
    blocks.push({ type: 'text', text: `Calling ${httpTools.map((tool) => tool.name).join(', ')} with the trigger's input.` });
    for (const tool of httpTools) call(tool.name, inputFor(tool, input));
  } else if (!results.has('update_app_data') && writableCollection(tools)) {
    const collection = writableCollection(tools) ?? '';
    const values: Record<string, unknown> = {};
    for (const tool of httpTools) {
      const result = results.get(tool.name);
      if (result?.ok) values[tool.name] = parsed(result.content);
    }
    if (Object.keys(values).length === 0 && httpTools.length > 0)
      return summary(`No tool succeeded, so nothing was written. ${describeResults(results)}`);
    const id = typeof input.id === 'string' ? input.id : typeof input._id === 'string' ? input._id : null;
    blocks.push({ type: 'text', text: id ? `Writing the results to ${collection}/${id}.` : `Adding the results to ${collection}.` });
    if (id) call('update_app_data', { operation: 'update', collection, id, set: values });
    else call('update_app_data', { operation: 'insert', collection, document: { ...withoutIds(input), ...values } });
  } else {
    return summary(describeResults(results));
  }
  return assistantEvents(blocks, 'tool_use');
}

function withoutIds(input: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, _id: _underscore, ...rest } = input;
  return rest;
}

function describeResults(results: Map<string, { ok: boolean; content: string }>): string {
  if (results.size === 0) return 'There was nothing to do.';
  return [...results.entries()]
    .map(([name, result]) => `${name} ${result.ok ? 'succeeded' : `failed (${result.content.slice(0, 200)})`}.`)
    .join(' ');
}

function summary(text: string): ModelEvent[] {
  return assistantEvents([{ type: 'text', text: `Done. ${text}` }], 'end_turn');
}

function assistantEvents(blocks: AssistantContentBlock[], stopReason: 'end_turn' | 'tool_use'): ModelEvent[] {
  const events: ModelEvent[] = [];
  for (const block of blocks) {
    if (block.type === 'text') events.push({ type: 'text.delta', text: block.text });
    if (block.type === 'tool_use') {
      events.push({ type: 'tool_call.start', id: block.id, name: block.name });
      events.push({ type: 'tool_call.input_delta', id: block.id, partialJson: JSON.stringify(block.input) });
      events.push({ type: 'tool_call.complete', id: block.id, name: block.name, input: block.input });
    }
  }
  events.push({ type: 'usage', inputTokens: 0, outputTokens: 0 });
  events.push({ type: 'message.stop', stopReason });
  return events;
}
