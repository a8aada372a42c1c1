import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { AssistantContentBlock, Message, ModelRequest, UserContentBlock } from './model-provider';

export interface AnthropicRequestOptions {
  /**
   * Marks the system prompt (which caches the tools before it) and the newest message as prompt
   * cache breakpoints, so each turn of an agent loop re-reads the conversation so far from cache.
   */
  promptCache: boolean;
}

const ephemeral = { type: 'ephemeral' } as const;

/** The Messages API body (shared by the Anthropic API and Bedrock) for a normalized request. */
export function toAnthropicParams(request: ModelRequest, options: AnthropicRequestOptions): MessageCreateParamsStreaming {
  const messages = request.messages.map(toMessageParam).filter((message) => contentLength(message) > 0);
  if (options.promptCache) markLastBlockForCache(messages);

  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages,
    stream: true,
  };
  if (request.system !== '') {
    const system: TextBlockParam = { type: 'text', text: request.system };
    if (options.promptCache) system.cache_control = ephemeral;
    params.system = [system];
  }
  if (request.tools.length > 0) {
    params.tools = request.tools.map((tool): Tool => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema }));
  }
  if (request.thinking) params.thinking = { type: 'enabled', budget_tokens: request.thinking.budgetTokens };
  return params;
}

function toMessageParam(message: Message): MessageParam {
  if (message.role === 'user') return { role: 'user', content: message.content.map(toUserBlock) };
  return { role: 'assistant', content: message.content.flatMap(toAssistantBlocks) };
}

function toUserBlock(block: UserContentBlock): ContentBlockParam {
  if (block.type === 'text') return { type: 'text', text: block.text };
  return { type: 'tool_result', tool_use_id: block.toolUseId, content: block.content, is_error: block.isError ?? false };
}

function toAssistantBlocks(block: AssistantContentBlock): ContentBlockParam[] {
  switch (block.type) {
    case 'text':
      return block.text === '' ? [] : [{ type: 'text', text: block.text }];
    case 'tool_use':
      return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }];
    case 'reasoning':
      if (block.redactedData !== undefined) return [{ type: 'redacted_thinking', data: block.redactedData }];
      // Unsigned reasoning (from another vendor) cannot be replayed to Anthropic.
      if (block.signature === undefined) return [];
      return [{ type: 'thinking', thinking: block.text, signature: block.signature }];
  }
}

function contentLength(message: MessageParam): number {
  return typeof message.content === 'string' ? message.content.length : message.content.length;
}

function markLastBlockForCache(messages: MessageParam[]): void {
  const content = messages.at(-1)?.content;
  if (!Array.isArray(content)) return;
  const last = content.at(-1);
  if (last && (last.type === 'text' || last.type === 'tool_result' || last.type === 'tool_use')) {
    last.cache_control = ephemeral;
  }
}
