import type { AssistantMessage, ModelRequest, UserMessage } from './model-provider';

/** The subset of the Chat Completions wire format this adapter sends. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: 'function'; function: { name: string; description: string; parameters: unknown } }[];
  max_tokens: number;
  stream: true;
  stream_options: { include_usage: true };
}

/** The Chat Completions body for a normalized request. Reasoning blocks are not sent back. */
export function toChatCompletionRequest(request: ModelRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = request.system === '' ? [] : [{ role: 'system', content: request.system }];
  for (const message of request.messages) {
    messages.push(...(message.role === 'user' ? fromUserMessage(message) : fromAssistantMessage(message)));
  }
  const body: ChatCompletionRequest = {
    model: request.model,
    messages,
    max_tokens: request.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
  // Some servers reject an empty tools array, so it is left out.
  if (request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    }));
  }
  return body;
}

function fromUserMessage(message: UserMessage): ChatMessage[] {
  // Tool results must directly follow the assistant message that made the calls.
  const results: ChatMessage[] = [];
  const texts: string[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const content = block.isError ? `Error: ${block.content}` : block.content;
      results.push({ role: 'tool', tool_call_id: block.toolUseId, content });
    } else {
      texts.push(block.text);
    }
  }
  return texts.length > 0 ? [...results, { role: 'user', content: texts.join('\n\n') }] : results;
}

function fromAssistantMessage(message: AssistantMessage): ChatMessage[] {
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
    }
  }
  const text = texts.join('');
  if (text === '' && toolCalls.length === 0) return [];
  return [{ role: 'assistant', content: text === '' ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }];
}
