/**
 * Builds Messages API SSE streams in the shape the real API sends (message_start, content
 * blocks with deltas, message_delta with the stop reason and usage, message_stop), for fake
 * Messages API servers in tests. `cutAfterInputJson` ends a tool call's input where `max_tokens`
 * would: the JSON is incomplete, the block is closed, and the stop reason is `max_tokens`.
 */
export interface SseTool {
  id: string;
  name: string;
  input: unknown;
  /** Stream only this many characters of the input JSON, as a response cut off by max_tokens. */
  cutAfterInputJson?: number;
}

export interface SseMessage {
  text?: string;
  tools?: SseTool[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
  inputTokens?: number;
  outputTokens?: number;
}

function frame(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The frames of a message, each a complete `event:`/`data:` pair. */
export function anthropicSseFrames(message: SseMessage): string[] {
  const frames: string[] = [];
  const tools = message.tools ?? [];
  const stopReason =
    message.stopReason ?? (tools.some((tool) => tool.cutAfterInputJson !== undefined) ? 'max_tokens' : tools.length > 0 ? 'tool_use' : 'end_turn');
  frames.push(
    frame('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-5-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: message.inputTokens ?? 100, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    }),
  );
  let index = 0;
  if (message.text !== undefined) {
    frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    for (const piece of message.text.match(/.{1,16}/gs) ?? []) {
      frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  for (const tool of tools) {
    frames.push(
      frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } }),
    );
    const json = JSON.stringify(tool.input);
    const sent = tool.cutAfterInputJson === undefined ? json : json.slice(0, tool.cutAfterInputJson);
    for (const piece of sent.match(/.{1,32}/gs) ?? []) {
      frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  frames.push(
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: message.outputTokens ?? 50 },
    }),
  );
  frames.push(frame('message_stop', { type: 'message_stop' }));
  return frames;
}

/** The whole SSE body of a message. */
export function anthropicSse(message: SseMessage): string {
  return anthropicSseFrames(message).join('');
}

/** An `event: error` frame, as the API sends when it fails after answering 200. */
export function anthropicErrorFrame(type: 'overloaded_error' | 'api_error' | 'rate_limit_error', message: string): string {
  return frame('error', { type: 'error', error: { type, message } });
}
