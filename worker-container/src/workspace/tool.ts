import { z, type ZodType } from 'zod';
import type { ToolDefinition } from '../model/model-provider';
import { ToolError } from './tool-error';

/** What a tool run knows about its surroundings. */
export interface ToolContext {
  /** The app workspace every path is confined to. */
  workspaceDir: string;
  /** Aborted when the user stops the run; long tools (install, build) stop their child processes. */
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** The outcome of one tool call. */
export interface ToolResult {
  ok: boolean;
  /** What the model sees, already trimmed. */
  output: string;
  /** One line for the UI. */
  summary: string;
  /** Unified diff, for writes and edits. */
  diff?: string;
}

/** A tool the builder agent may call. Inputs are zod strict objects, validated by `runTool`. */
export interface BuilderTool<I> {
  name: string;
  description: string;
  input: ZodType<I>;
  execute(input: I, context: ToolContext): Promise<ToolResult>;
}

/** Most characters of tool output sent back to the model. */
export const maxToolOutputChars = 20_000;

/** Tool definitions for a model request; JSON Schemas generated from the zod inputs. */
export function toolDefinitions(tools: readonly BuilderTool<unknown>[]): ToolDefinition[] {
  return tools.map((tool) => {
    const { $schema: _schema, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
    if (schema['type'] !== 'object') throw new Error(`Tool ${tool.name}: its input must be an object schema.`);
    return { name: tool.name, description: tool.description, inputSchema: { ...schema, type: 'object' } };
  });
}

/**
 * Validates the raw input and runs the tool. Never throws: invalid input, a ToolError or an
 * unexpected failure all become `ok: false` with a message the model can act on.
 */
export async function runTool<I>(tool: BuilderTool<I>, rawInput: unknown, context: ToolContext): Promise<ToolResult> {
  if (context.signal?.aborted) return { ok: false, output: 'The run was stopped.', summary: `${tool.name}: stopped` };
  const parsed = tool.input.safeParse(rawInput);
  if (!parsed.success) {
    const message = `Invalid input for ${tool.name}:\n${z.prettifyError(parsed.error)}`;
    return { ok: false, output: trimOutput(message), summary: `${tool.name}: invalid input` };
  }
  try {
    const result = await tool.execute(parsed.data, context);
    return { ...result, output: trimOutput(result.output) };
  } catch (error) {
    if (error instanceof ToolError) {
      return { ok: false, output: trimOutput(error.message), summary: `${tool.name}: ${firstLine(error.message)}` };
    }
    const message = error instanceof Error ? error.message : String(error);
    context.log?.(`tool ${tool.name} failed unexpectedly: ${message}`);
    return { ok: false, output: trimOutput(`${tool.name} failed: ${message}`), summary: `${tool.name} failed` };
  }
}

/** Finds a tool by name and runs it; an unknown name is an `ok: false` result, not an exception. */
export async function runToolByName(
  tools: readonly BuilderTool<unknown>[],
  name: string,
  rawInput: unknown,
  context: ToolContext,
): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) {
    const known = tools.map((candidate) => candidate.name).join(', ');
    return { ok: false, output: `There is no tool named "${name}". Available tools: ${known}.`, summary: `unknown tool ${name}` };
  }
  return runTool(tool, rawInput, context);
}

/** Keeps the start of long text, saying how much was cut. */
export function trimOutput(text: string, maxChars: number = maxToolOutputChars): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  return `${trimmed.slice(0, maxChars)}\n… (${trimmed.length - maxChars} more characters not shown)`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
