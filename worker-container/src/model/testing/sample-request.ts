import type { ModelEvent, ModelRequest } from '../model-provider';

/** A request with every kind of content block: a tool call and its result, then a new prompt. */
export function sampleRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-haiku-4-5',
    system: 'You build Vite apps.',
    maxTokens: 4096,
    tools: [
      {
        name: 'write_file',
        description: 'Writes a file in the workspace.',
        inputSchema: {
          type: 'object',
          properties: { path: { type: 'string' }, content: { type: 'string' } },
          required: ['path', 'content'],
        },
      },
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Build a greeting page.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading first.' },
          { type: 'tool_use', id: 'toolu_read', name: 'read_file', input: { path: 'package.json' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: 'toolu_read', content: 'no such file', isError: true },
          { type: 'text', text: 'Go on.' },
        ],
      },
    ],
    ...overrides,
  };
}

/** Iterates a stream to the end, collecting its events. */
export async function drain(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** An async iterable over fixed items, for feeding streams in tests. */
export function asyncIterableOf<T>(items: Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = items[Symbol.iterator]();
      return { next: () => Promise.resolve(iterator.next()) };
    },
  };
}
