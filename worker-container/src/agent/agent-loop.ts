import type { Usage } from '@hangar/protocol';
import type { AssistantContentBlock, Message, ModelProvider, TokenUsage, ToolResultBlock } from '../model/model-provider';
import { estimateCost } from '../model/estimate-cost';
import { ModelError } from '../model/model-error';
import { runToolByName, toolDefinitions, type BuilderTool, type ToolResult } from '../workspace/tool';
import type { RunSink } from './run-sink';

export interface AgentLoopOptions {
  provider: ModelProvider;
  model: string;
  system: string;
  /** The first user message: the prompt, or `Follow-up: <text>` for an existing app. */
  prompt: string;
  tools: readonly BuilderTool<unknown>[];
  workspaceDir: string;
  sink: RunSink;
  signal: AbortSignal;
  maxTurns?: number;
  /** Consecutive failed `done_building` calls before the run gives up. */
  maxFailedBuilds?: number;
  maxTokens?: number;
  log?: (message: string) => void;
}

export type AgentOutcome =
  | { status: 'succeeded'; summary: string; usage: Usage }
  | { status: 'failed'; reason: string; usage: Usage }
  | { status: 'stopped'; usage: Usage };

const fileChangingTools = new Set(['write_file', 'edit_file', 'add_dependency']);

/**
 * The builder agent loop: stream a model turn, forward text and reasoning, run the requested
 * tools, feed their results back, until the model ends its turn. Caps: turns, and consecutive
 * failed builds (the run then fails with the last errors instead of looping). Stop aborts
 * the model stream and any running tool.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentOutcome> {
  const maxTurns = options.maxTurns ?? 40;
  const maxFailedBuilds = options.maxFailedBuilds ?? 3;
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: options.prompt }] }];
  const definitions = toolDefinitions(options.tools);
  const totals: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const usage = (): Usage => ({
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    costUsd: estimateCost(options.model, totals) ?? 0,
  });
  let failedBuilds = 0;
  let changedSinceBuild = false;
  let lastBuildErrors: string | null = null;
  let everBuilt = false;
  let lastText = '';

  for (let turn = 0; turn < maxTurns; turn++) {
    if (options.signal.aborted) return { status: 'stopped', usage: usage() };
    const content: AssistantContentBlock[] = [];
    let text = '';
    try {
      for await (const event of options.provider.stream({
        model: options.model,
        system: options.system,
        messages,
        tools: definitions,
        maxTokens: options.maxTokens ?? 8192,
        signal: options.signal,
      })) {
        switch (event.type) {
          case 'text.delta':
            text += event.text;
            await options.sink.event({ type: 'text.delta', text: event.text });
            break;
          case 'reasoning.delta':
            await options.sink.event({ type: 'reasoning.delta', text: event.text });
            break;
          case 'reasoning.complete':
            content.push({
              type: 'reasoning',
              text: event.text,
              ...(event.signature ? { signature: event.signature } : {}),
              ...(event.redactedData ? { redactedData: event.redactedData } : {}),
            });
            break;
          case 'tool_call.complete':
            if (text) content.push({ type: 'text', text });
            text = '';
            content.push({ type: 'tool_use', id: event.id, name: event.name, input: event.input });
            break;
          case 'usage':
            totals.inputTokens += event.inputTokens;
            totals.outputTokens += event.outputTokens;
            break;
          case 'tool_call.start':
          case 'tool_call.input_delta':
          case 'message.stop':
            break;
          default: {
            const unknownEvent: never = event;
            options.log?.(`ignored model event ${JSON.stringify(unknownEvent)}`);
          }
        }
      }
    } catch (error) {
      if (options.signal.aborted || (error instanceof ModelError && error.kind === 'aborted')) return { status: 'stopped', usage: usage() };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'failed', reason: `The model call failed: ${message}`, usage: usage() };
    }
    if (text) content.push({ type: 'text', text });
    if (text.trim()) lastText = text.trim();
    messages.push({ role: 'assistant', content });

    const calls = content.filter((block) => block.type === 'tool_use');
    if (calls.length === 0) {
      if (lastBuildErrors !== null) {
        const said = lastText ? `It said: ${lastText.slice(0, 1000)}\n` : '';
        return {
          status: 'failed',
          reason: `The agent stopped after a failed build. ${said}Last errors:\n${lastBuildErrors.slice(0, 3000)}`,
          usage: usage(),
        };
      }
      if (changedSinceBuild) {
        return {
          status: 'failed',
          reason: 'The agent stopped with unbuilt changes: it never called done_building after its last edit.',
          usage: usage(),
        };
      }
      return { status: 'succeeded', summary: lastText || (everBuilt ? 'Built successfully.' : 'Done.'), usage: usage() };
    }

    const results: ToolResultBlock[] = [];
    for (const call of calls) {
      await options.sink.event({ type: 'tool.started', callId: call.id, name: call.name, input: call.input });
      const result: ToolResult = await runToolByName(options.tools, call.name, call.input, {
        workspaceDir: options.workspaceDir,
        signal: options.signal,
        ...(options.log ? { log: options.log } : {}),
      });
      if (options.signal.aborted) return { status: 'stopped', usage: usage() };
      if (result.ok && fileChangingTools.has(call.name)) changedSinceBuild = true;
      await options.sink.event({
        type: 'tool.finished',
        callId: call.id,
        name: call.name,
        ok: result.ok,
        summary: result.summary.slice(0, 2000),
        ...(result.diff ? { diff: result.diff } : {}),
        output: result.output.slice(0, 8000),
      });
      results.push({ type: 'tool_result', toolUseId: call.id, content: result.output, isError: !result.ok });
      if (call.name === 'done_building') {
        lastBuildErrors = result.ok ? null : result.output;
        if (result.ok) {
          failedBuilds = 0;
          changedSinceBuild = false;
          everBuilt = true;
        } else if (++failedBuilds >= maxFailedBuilds) {
          const reason = `The build failed ${failedBuilds} times in a row, so the run stopped instead of looping. Last errors:\n${result.output.slice(0, 3000)}`;
          return { status: 'failed', reason, usage: usage() };
        }
      }
    }
    messages.push({ role: 'user', content: results });
  }
  return { status: 'failed', reason: `The agent used all ${maxTurns} turns without finishing.`, usage: usage() };
}
