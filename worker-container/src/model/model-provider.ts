/**
 * The model provider port: one streaming call to a language model, normalized across vendors.
 * Adapters: Anthropic API (`anthropic-provider.ts`), Amazon Bedrock (`bedrock-provider.ts`),
 * any OpenAI-compatible endpoint (`openai-compatible-provider.ts`), and the scripted test double
 * (`scripted-provider.ts`). Every adapter passes `model-provider.contract.ts`.
 *
 * Token counts follow Anthropic's convention: `inputTokens` excludes tokens read from or written
 * to the prompt cache, which are counted separately.
 */

/** Plain text, in a user or assistant message. */
export interface TextBlock {
  type: 'text';
  text: string;
}

/**
 * The model's reasoning, in an assistant message. Anthropic requires signed reasoning to be sent
 * back unchanged when a turn with tool calls continues, so the signature (or the opaque data of
 * redacted reasoning) travels with it; unsigned reasoning is dropped when sent to Anthropic.
 */
export interface ReasoningBlock {
  type: 'reasoning';
  text: string;
  signature?: string;
  redactedData?: string;
}

/** A tool call made by the assistant. */
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

/** The result of a tool call, sent back in a user message. */
export interface ToolResultBlock {
  type: 'tool_result';
  toolUseId: string;
  content: string;
  isError?: boolean;
}

export type UserContentBlock = TextBlock | ToolResultBlock;
export type AssistantContentBlock = TextBlock | ReasoningBlock | ToolUseBlock;
export type ContentBlock = UserContentBlock | AssistantContentBlock;

export interface UserMessage {
  role: 'user';
  content: UserContentBlock[];
}
export interface AssistantMessage {
  role: 'assistant';
  content: AssistantContentBlock[];
}
export type Message = UserMessage | AssistantMessage;

/** A tool the model may call; `inputSchema` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: { type: 'object'; [keyword: string]: unknown };
}

/** One model call. */
export interface ModelRequest {
  model: string;
  system: string;
  messages: Message[];
  tools: ToolDefinition[];
  maxTokens: number;
  /** Extended thinking with a token budget (Anthropic, Bedrock); ignored by other adapters. */
  thinking?: { budgetTokens: number };
  /** Aborting stops the stream with a `ModelError` of kind `aborted`. */
  signal?: AbortSignal;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'other';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/**
 * The normalized stream of one model response. Order: any number of text, reasoning and tool
 * call events; then `usage` (the response's totals; a later one supersedes an earlier one);
 * then exactly one `message.stop`, always last. `tool_call.complete` follows the call's
 * `tool_call.start` and input deltas. If the tool input was not valid JSON (for example cut off
 * by `max_tokens`), `input` is the raw text and `parseError` says why.
 */
export type ModelEvent =
  | { type: 'text.delta'; text: string }
  | { type: 'reasoning.delta'; text: string }
  | { type: 'reasoning.complete'; text: string; signature?: string; redactedData?: string }
  | { type: 'tool_call.start'; id: string; name: string }
  | { type: 'tool_call.input_delta'; id: string; partialJson: string }
  | { type: 'tool_call.complete'; id: string; name: string; input: unknown; parseError?: string }
  | ({ type: 'usage' } & TokenUsage)
  | { type: 'message.stop'; stopReason: StopReason };

export type ModelEventType = ModelEvent['type'];

/** A language model behind one vendor API. Errors surface while iterating, as `ModelError`. */
export interface ModelProvider {
  readonly name: string;
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

/** Parses the streamed JSON input of a tool call; empty input means no arguments. */
export function parseToolInput(json: string): { input: unknown; parseError?: string } {
  if (json.trim() === '') return { input: {} };
  try {
    return { input: JSON.parse(json) as unknown };
  } catch (error) {
    return { input: json, parseError: error instanceof Error ? error.message : String(error) };
  }
}
